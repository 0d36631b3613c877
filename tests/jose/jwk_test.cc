#include "jose/jwk.h"

#include <gtest/gtest.h>

#include "jose/test_vectors.h"

namespace gatehouse::jose {
namespace {

nlohmann::json Json(const char* text) { return nlohmann::json::parse(text); }

TEST(JwkTest, Rfc7638ThumbprintExample) {
  auto key = ParseJwk(Json(vectors::k7638Jwk));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(Thumbprint(*key), vectors::k7638Thumbprint);
}

TEST(JwkTest, RsaRoundTrip) {
  auto key = ParseJwk(Json(vectors::kA2PublicJwk));
  ASSERT_TRUE(key.ok());
  nlohmann::json jwk = PublicJwk(*key, "k1", "RS256");
  EXPECT_EQ(jwk["kty"], "RSA");
  EXPECT_EQ(jwk["n"], Json(vectors::kA2PublicJwk)["n"]);
  EXPECT_EQ(jwk["e"], "AQAB");
  EXPECT_EQ(jwk["kid"], "k1");
  EXPECT_EQ(jwk["alg"], "RS256");
  EXPECT_EQ(jwk["use"], "sig");
  auto again = ParseJwk(jwk);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Components(), key->Components());
}

TEST(JwkTest, EcRoundTripIgnoresPrivateMember) {
  // The A.3 JWK carries "d": accepted, ignored, never written back.
  auto key = ParseJwk(Json(vectors::kA3PublicJwk));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->kind(), crypto::KeyKind::kEcP256);
  nlohmann::json jwk = PublicJwk(*key, "", "");
  EXPECT_EQ(jwk["kty"], "EC");
  EXPECT_EQ(jwk["crv"], "P-256");
  EXPECT_EQ(jwk["x"], "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
  EXPECT_EQ(jwk["y"], "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
  EXPECT_FALSE(jwk.contains("d"));
  EXPECT_FALSE(jwk.contains("kid"));
  EXPECT_FALSE(jwk.contains("alg"));
  EXPECT_EQ(Thumbprint(*key).size(), 43u);
}

TEST(JwkTest, RejectsMalformedKeys) {
  auto rsa = Json(vectors::kA2PublicJwk);
  auto ec = Json(vectors::kA3PublicJwk);
  EXPECT_FALSE(ParseJwk(nlohmann::json::array()).ok());
  EXPECT_FALSE(ParseJwk(nlohmann::json::object()).ok());

  auto bad = rsa;
  bad["kty"] = "oct";
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad["kty"] = "rsa";
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad = rsa;
  bad.erase("e");
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad = rsa;
  bad["n"] = std::string(bad["n"]) + "=";
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad = rsa;
  bad["e"] = "AQ+B";
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad = rsa;
  bad["n"] = 12345;
  EXPECT_FALSE(ParseJwk(bad).ok());

  bad = ec;
  bad["crv"] = "P-384";
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad = ec;
  bad["kty"] = "OKP";
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad = ec;
  bad["y"] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1";  // non-zero unused bits
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad["y"] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4";  // valid base64url, off the curve
  EXPECT_FALSE(ParseJwk(bad).ok());
  bad = ec;
  bad["x"] = "AA";
  EXPECT_FALSE(ParseJwk(bad).ok());
}

}  // namespace
}  // namespace gatehouse::jose
