// The upstream ID token checks (OIDC Core §3.1.3.7) with a FakeClock: every
// claim that decides who signs in is refused when wrong.

#include "connections/id_token_check.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "crypto/asymmetric_key.h"
#include "jose/jwt.h"
#include "jose/signing_key.h"

namespace gatehouse::connections {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1'800'000'000;

class IdTokenCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ec_ = new crypto::PrivateKey(*crypto::PrivateKey::GenerateEcP256());
    other_ = new crypto::PrivateKey(*crypto::PrivateKey::GenerateEcP256());
  }
  static void TearDownTestSuite() {
    delete ec_;
    delete other_;
  }

  IdTokenCheckTest() : clock_(kNow) {
    expect_.issuer = "https://idp.example/";
    expect_.client_id = "our-client";
    expect_.nonce = "n-0S6_WzA2Mj";
    expect_.allowed_algs = {"RS256", "ES256"};
  }

  json Claims() const {
    return {{"iss", "https://idp.example/"}, {"aud", "our-client"}, {"sub", "248289761001"},
            {"nonce", "n-0S6_WzA2Mj"},       {"iat", kNow - 5},     {"exp", kNow + 300},
            {"given_name", "Jane"},          {"family_name", "Doe"}};
  }

  std::string Sign(const json& claims, const crypto::PrivateKey& key, const std::string& kid) {
    auto signer = jose::SigningKey::Asymmetric(jose::Alg::kES256, key, kid);
    return *jose::SignJwt(claims, *signer);
  }

  // Knows only `ec_` under kid "k1"; anything else is NotFound, as the JWKS cache answers.
  jose::KeyLookup Lookup() const {
    return [](std::string_view kid) -> Result<jose::VerificationKey> {
      if (kid == "k1") return jose::VerificationKey::Public(ec_->Public());
      return NotFound("unknown kid");
    };
  }

  Result<json> Check(const std::string& token) {
    return CheckIdToken(token, expect_, Lookup(), clock_);
  }

  static crypto::PrivateKey* ec_;
  static crypto::PrivateKey* other_;
  FakeClock clock_;
  IdTokenExpectations expect_;
};

crypto::PrivateKey* IdTokenCheckTest::ec_ = nullptr;
crypto::PrivateKey* IdTokenCheckTest::other_ = nullptr;

TEST_F(IdTokenCheckTest, AcceptsAGoodTokenAndReturnsItsClaims) {
  auto claims = Check(Sign(Claims(), *ec_, "k1"));
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ((*claims)["sub"], "248289761001");
  EXPECT_EQ((*claims)["given_name"], "Jane");
}

TEST_F(IdTokenCheckTest, RefusesAnUnknownKid) {
  auto claims = Check(Sign(Claims(), *ec_, "rotated-away"));
  EXPECT_EQ(claims.status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(IdTokenCheckTest, RefusesAKnownKidSignedByAnotherKey) {
  auto claims = Check(Sign(Claims(), *other_, "k1"));
  EXPECT_EQ(claims.status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(IdTokenCheckTest, RefusesAnotherIssuer) {
  json c = Claims();
  c["iss"] = "https://evil.example/";
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(IdTokenCheckTest, RefusesAnotherAudience) {
  json c = Claims();
  c["aud"] = "someone-else";
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(IdTokenCheckTest, SeveralAudiencesNeedOurAzp) {
  json c = Claims();
  c["aud"] = json::array({"our-client", "other"});
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
  c["azp"] = "other";
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
  c["azp"] = "our-client";
  EXPECT_TRUE(Check(Sign(c, *ec_, "k1")).ok());
}

TEST_F(IdTokenCheckTest, RefusesAWrongOrMissingNonce) {
  json c = Claims();
  c["nonce"] = "replayed-from-another-login";
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
  c.erase("nonce");
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(IdTokenCheckTest, ExpiryHonoursTheLeewayOnTheFakeClock) {
  std::string token = Sign(Claims(), *ec_, "k1");
  clock_.SetSeconds(kNow + 300 + 59);
  EXPECT_TRUE(Check(token).ok());
  clock_.SetSeconds(kNow + 300 + 61);
  EXPECT_EQ(Check(token).status().code(), ErrorCode::kExpired);
}

TEST_F(IdTokenCheckTest, RefusesATokenIssuedLongAgo) {
  json c = Claims();
  c["iat"] = kNow - 3600;
  c["exp"] = kNow + 3600;
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kExpired);
}

TEST_F(IdTokenCheckTest, RefusesMissingExpAndSub) {
  json c = Claims();
  c.erase("exp");
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
  c = Claims();
  c.erase("sub");
  EXPECT_EQ(Check(Sign(c, *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(IdTokenCheckTest, AlgorithmIsPinnedToTheProvidersList) {
  expect_.allowed_algs = {"RS256"};  // the provider only announces RS256
  EXPECT_EQ(Check(Sign(Claims(), *ec_, "k1")).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(IdTokenCheckTest, RefusesHmacEvenWhenListed) {
  expect_.allowed_algs = {"HS256"};
  auto signer = jose::SigningKey::Hmac(jose::Alg::kHS256, std::string(32, 's'), "k1");
  std::string token = *jose::SignJwt(Claims(), *signer);
  auto lookup = [](std::string_view) -> Result<jose::VerificationKey> {
    return jose::VerificationKey::Secret(std::string(32, 's'));
  };
  EXPECT_EQ(CheckIdToken(token, expect_, lookup, clock_).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_F(IdTokenCheckTest, RefusesAlgNoneAndGarbage) {
  std::string token = Sign(Claims(), *ec_, "k1");
  std::string none_header = "eyJhbGciOiJub25lIn0";  // {"alg":"none"}
  std::string forged = none_header + token.substr(token.find('.'));
  EXPECT_EQ(Check(forged).status().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(Check("not-a-token").status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gatehouse::connections
