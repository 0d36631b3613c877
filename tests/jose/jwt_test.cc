#include "jose/jwt.h"

#include <gtest/gtest.h>

namespace gatehouse::jose {
namespace {

using std::chrono::seconds;

class JwtTest : public ::testing::Test {
 protected:
  JwtTest() : key_(*SigningKey::Hmac(Alg::kHS256, std::string(32, 's'))) {
    rules_.issuer = "https://issuer.example";
    rules_.audience = "client-1";
    rules_.leeway = seconds(30);
  }

  nlohmann::json Claims() const {
    const int64_t now = clock_.NowSeconds();
    return {{"iss", "https://issuer.example"},
            {"aud", "client-1"},
            {"sub", "user-1"},
            {"iat", now},
            {"nbf", now},
            {"exp", now + 300}};
  }

  Result<VerifiedJwt> Check(const nlohmann::json& claims) {
    auto token = SignJwt(claims, key_);
    EXPECT_TRUE(token.ok());
    return VerifyJwt(*token, Alg::kHS256, FixedKey(VerificationKey::Secret(std::string(32, 's'))),
                     rules_, clock_);
  }

  FakeClock clock_;
  SigningKey key_;
  JwtValidation rules_;
};

TEST_F(JwtTest, ValidTokenVerifies) {
  auto v = Check(Claims());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->claims["sub"], "user-1");
  EXPECT_EQ(v->header["typ"], "JWT");
  EXPECT_EQ(v->header["alg"], "HS256");
}

TEST_F(JwtTest, ExpiryWithLeeway) {
  auto claims = Claims();
  claims["exp"] = clock_.NowSeconds() - 10;  // within the 30 s leeway
  EXPECT_TRUE(Check(claims).ok());
  claims["exp"] = clock_.NowSeconds() - 30;
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kExpired);
  claims["exp"] = clock_.NowSeconds() - 3600;
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kExpired);
  // Fractional dates are numbers too.
  claims["exp"] = static_cast<double>(clock_.NowSeconds()) + 0.5;
  EXPECT_TRUE(Check(claims).ok());
}

TEST_F(JwtTest, ExpiresAsTheClockMoves) {
  auto token = *SignJwt(Claims(), key_);
  auto lookup = FixedKey(VerificationKey::Secret(std::string(32, 's')));
  EXPECT_TRUE(VerifyJwt(token, Alg::kHS256, lookup, rules_, clock_).ok());
  clock_.Advance(std::chrono::minutes(6));
  EXPECT_EQ(VerifyJwt(token, Alg::kHS256, lookup, rules_, clock_).status().code(),
            ErrorCode::kExpired);
}

TEST_F(JwtTest, MissingExpIsRefusedUnlessAllowed) {
  auto claims = Claims();
  claims.erase("exp");
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
  rules_.require_exp = false;
  EXPECT_TRUE(Check(claims).ok());
}

TEST_F(JwtTest, NotBeforeInTheFuture) {
  auto claims = Claims();
  claims["nbf"] = clock_.NowSeconds() + 20;  // within leeway
  EXPECT_TRUE(Check(claims).ok());
  claims["nbf"] = clock_.NowSeconds() + 120;
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(JwtTest, WrongIssuer) {
  auto claims = Claims();
  claims["iss"] = "https://issuer.example/";
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
  claims["iss"] = "HTTPS://ISSUER.EXAMPLE";
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
  claims.erase("iss");
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
  claims["iss"] = 42;
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(JwtTest, Audience) {
  auto claims = Claims();
  claims["aud"] = {"other", "client-1"};
  EXPECT_TRUE(Check(claims).ok());
  claims["aud"] = {"other", "client-2"};
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
  claims["aud"] = "client-2";
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
  claims["aud"] = nlohmann::json::array();
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
  claims.erase("aud");
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
  claims["aud"] = {1, "client-1"};
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kInvalidArgument);
  claims["aud"] = 7;
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(JwtTest, MaxAge) {
  rules_.max_age = seconds(600);
  auto claims = Claims();
  claims["iat"] = clock_.NowSeconds() - 600;
  EXPECT_TRUE(Check(claims).ok());
  claims["iat"] = clock_.NowSeconds() - 700;
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kExpired);
  claims.erase("iat");
  EXPECT_EQ(Check(claims).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(JwtTest, NonNumericDatesAreMalformed) {
  for (const char* name : {"exp", "nbf", "iat"}) {
    auto claims = Claims();
    claims[name] = "1700000000";
    EXPECT_EQ(Check(claims).status().code(), ErrorCode::kInvalidArgument) << name;
  }
}

TEST_F(JwtTest, PayloadMustBeAJsonObject) {
  auto lookup = FixedKey(VerificationKey::Secret(std::string(32, 's')));
  for (const char* payload : {"[1,2]", "\"str\"", "not json", ""}) {
    auto token = *Sign({{"typ", "JWT"}}, payload, key_);
    EXPECT_EQ(VerifyJwt(token, Alg::kHS256, lookup, rules_, clock_).status().code(),
              ErrorCode::kInvalidArgument)
        << payload;
  }
  EXPECT_FALSE(SignJwt(nlohmann::json::array(), key_).ok());
}

TEST_F(JwtTest, SignatureAndAlgStillChecked) {
  auto token = *SignJwt(Claims(), key_);
  auto wrong = FixedKey(VerificationKey::Secret(std::string(32, 't')));
  EXPECT_EQ(VerifyJwt(token, Alg::kHS256, wrong, rules_, clock_).status().code(),
            ErrorCode::kUnauthenticated);
  auto right = FixedKey(VerificationKey::Secret(std::string(32, 's')));
  EXPECT_EQ(VerifyJwt(token, Alg::kRS256, right, rules_, clock_).status().code(),
            ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace gatehouse::jose
