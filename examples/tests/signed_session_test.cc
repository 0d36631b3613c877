#include "common/signed_session.h"

#include <gtest/gtest.h>

#include "core/base64url.h"

namespace gatehouse::examples {
namespace {

http::Request WithCookie(const std::string& name, const std::string& value) {
  http::Request req;
  req.headers.emplace("Cookie", name + "=" + value);
  return req;
}

class SignedSessionTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  SignedSession session_{"s", std::string(32, 'k'), std::chrono::seconds(60), clock_, false};
};

TEST_F(SignedSessionTest, RoundTripsUntilItExpires) {
  auto cookie = session_.Issue({{"sub", "auth0|1"}});
  EXPECT_EQ(cookie.max_age, 60);
  auto read = session_.Read(WithCookie("s", cookie.value));
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ((*read)["sub"], "auth0|1");
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_EQ(session_.Read(WithCookie("s", cookie.value)).status().code(), ErrorCode::kExpired);
}

TEST_F(SignedSessionTest, RefusesAlteredCookies) {
  const std::string value = session_.Issue({{"sub", "auth0|1"}}).value;
  const std::string forged_payload = Base64UrlEncode(R"({"sub":"auth0|2","exp":9999999999})");
  const std::string mac = value.substr(value.find('.'));
  EXPECT_EQ(session_.Read(WithCookie("s", forged_payload + mac)).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(session_.Read(WithCookie("s", "garbage")).status().code(), ErrorCode::kUnauthenticated);
  // Another key, or the same value under another cookie name, does not verify.
  SignedSession other{"s", std::string(32, 'x'), std::chrono::seconds(60), clock_, false};
  EXPECT_EQ(other.Read(WithCookie("s", value)).status().code(), ErrorCode::kUnauthenticated);
  SignedSession renamed{"t", std::string(32, 'k'), std::chrono::seconds(60), clock_, false};
  EXPECT_EQ(renamed.Read(WithCookie("t", value)).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(SignedSessionTest, AbsentOrClearedIsNotFound) {
  EXPECT_EQ(session_.Read(http::Request{}).status().code(), ErrorCode::kNotFound);
  auto cleared = session_.Clear();
  EXPECT_EQ(cleared.max_age, 0);
  EXPECT_EQ(session_.Read(WithCookie("s", cleared.value)).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace gatehouse::examples
