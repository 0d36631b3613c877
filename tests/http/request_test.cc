#include "http/request.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

TEST(Request, HeadersAreCaseInsensitive) {
  Request r;
  r.headers.emplace("Content-Type", "text/plain");
  EXPECT_EQ(r.Header("content-type"), "text/plain");
  EXPECT_EQ(r.Header("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(r.Header("accept"), std::nullopt);
}

TEST(Request, CookiesFromSeveralHeaders) {
  Request r;
  r.headers.emplace("Cookie", "a=1; b=2");
  r.headers.emplace("cookie", "c=3; a=9");
  EXPECT_EQ(r.Cookie("a"), "1");
  EXPECT_EQ(r.Cookie("c"), "3");
  EXPECT_EQ(r.Cookie("z"), std::nullopt);
}

TEST(Request, HostIsLowercasedWithPort) {
  Request r;
  EXPECT_EQ(r.Host(), "");
  r.headers.emplace("Host", "Auth.Example.COM:8443");
  EXPECT_EQ(r.Host(), "auth.example.com:8443");
}

TEST(Request, FormChecksContentType) {
  Request r;
  r.body = "grant_type=client_credentials&scope=a+b";
  EXPECT_EQ(r.Form().status().code(), ErrorCode::kInvalidArgument);
  r.headers.emplace("Content-Type", "application/json");
  EXPECT_FALSE(r.Form().ok());
  r.headers.clear();
  r.headers.emplace("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8");
  auto form = r.Form();
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Get("scope"), "a b");
}

TEST(Request, FormRejectsMalformedBody) {
  Request r;
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  r.body = "a=%zz";
  EXPECT_FALSE(r.Form().ok());
}

}  // namespace
}  // namespace gatehouse::http
