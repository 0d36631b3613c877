#include "jose/jws.h"

#include <gtest/gtest.h>

#include "core/base64url.h"
#include "jose/jwk.h"
#include "jose/test_vectors.h"

namespace gatehouse::jose {
namespace {

std::string A1Key() { return *Base64UrlDecode(vectors::kA1KeyB64); }

crypto::PublicKey JwkKey(const char* text) { return *ParseJwk(nlohmann::json::parse(text)); }

std::string SigningInput(std::string_view token) {
  return std::string(token.substr(0, token.rfind('.')));
}

// A token with the given header JSON text and payload, signed by `key` over
// exactly those bytes (for hand-made headers).
std::string Forge(std::string_view header, std::string_view payload, const SigningKey& key) {
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  return input + "." + Base64UrlEncode(*key.Sign(input));
}

SigningKey Hs256() { return *SigningKey::Hmac(Alg::kHS256, A1Key()); }

// ---------------------------------------------------------------- RFC vectors

TEST(JwsRfcTest, A1Hs256VerifiesAndSignatureIsReproduced) {
  auto verified =
      Verify(vectors::kA1Token, Alg::kHS256, FixedKey(VerificationKey::Secret(A1Key())));
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->payload, vectors::kA1Payload);
  EXPECT_EQ(verified->header["typ"], "JWT");

  const std::string token = vectors::kA1Token;
  auto signature = Hs256().Sign(SigningInput(token));
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(Base64UrlEncode(*signature), token.substr(token.rfind('.') + 1));
}

TEST(JwsRfcTest, A2Rs256VerifiesAndSignatureIsReproduced) {
  auto key = VerificationKey::Public(JwkKey(vectors::kA2PublicJwk));
  auto verified = Verify(vectors::kA2Token, Alg::kRS256, FixedKey(key));
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->payload, vectors::kA1Payload);

  auto private_key = crypto::PrivateKey::FromPem(vectors::kA2PrivatePem);
  ASSERT_TRUE(private_key.ok()) << private_key.status().ToString();
  auto signer = SigningKey::Asymmetric(Alg::kRS256, *private_key);
  ASSERT_TRUE(signer.ok());
  const std::string token = vectors::kA2Token;
  auto signature = signer->Sign(SigningInput(token));
  ASSERT_TRUE(signature.ok());
  // PKCS#1 v1.5 is deterministic, so our signature is the RFC's.
  EXPECT_EQ(Base64UrlEncode(*signature), token.substr(token.rfind('.') + 1));
}

TEST(JwsRfcTest, A3Es256Verifies) {
  auto key = VerificationKey::Public(JwkKey(vectors::kA3PublicJwk));
  auto verified = Verify(vectors::kA3Token, Alg::kES256, FixedKey(key));
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->payload, vectors::kA1Payload);
}

TEST(JwsRfcTest, Rfc7520Section4_1Rs256) {
  const std::string token = std::string(vectors::k7520ProtectedB64) + "." +
                            Base64UrlEncode(vectors::k7520Payload) + "." +
                            vectors::k7520SignatureB64;
  auto jwk = nlohmann::json::parse(vectors::k7520PublicJwk);
  const std::string kid = jwk["kid"];
  crypto::PublicKey key = *ParseJwk(jwk);
  KeyLookup lookup = [&](std::string_view k) -> Result<VerificationKey> {
    if (k != kid) return NotFound("unknown");
    return VerificationKey::Public(key);
  };
  auto verified = Verify(token, Alg::kRS256, lookup, {.require_kid = true});
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->payload, vectors::k7520Payload);
  EXPECT_EQ(verified->header["kid"], kid);
  // RFC 7520 §4.3 (ES512) is skipped: ES512 is not supported.
}

// ------------------------------------------------------------ round trips

class JwsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new crypto::PrivateKey(*crypto::PrivateKey::GenerateRsa(2048));
    ec_ = new crypto::PrivateKey(*crypto::PrivateKey::GenerateEcP256());
  }
  static void TearDownTestSuite() {
    delete rsa_;
    delete ec_;
  }
  static SigningKey Rs256(std::string kid = "") {
    return *SigningKey::Asymmetric(Alg::kRS256, *rsa_, std::move(kid));
  }
  static SigningKey Es256() { return *SigningKey::Asymmetric(Alg::kES256, *ec_); }
  static KeyLookup RsaLookup() { return FixedKey(VerificationKey::Public(rsa_->Public())); }
  static KeyLookup EcLookup() { return FixedKey(VerificationKey::Public(ec_->Public())); }
  static KeyLookup HsLookup() { return FixedKey(VerificationKey::Secret(A1Key())); }

  static crypto::PrivateKey* rsa_;
  static crypto::PrivateKey* ec_;
};
crypto::PrivateKey* JwsTest::rsa_ = nullptr;
crypto::PrivateKey* JwsTest::ec_ = nullptr;

TEST_F(JwsTest, SignVerifyRoundTripsForEveryAlg) {
  for (Alg alg : {Alg::kHS256, Alg::kHS384, Alg::kHS512}) {
    auto key = SigningKey::Hmac(alg, std::string(64, 'k'));
    ASSERT_TRUE(key.ok());
    auto token = Sign(nullptr, "hello", *key);
    ASSERT_TRUE(token.ok());
    auto v = Verify(*token, alg, FixedKey(VerificationKey::Secret(std::string(64, 'k'))));
    ASSERT_TRUE(v.ok()) << AlgName(alg) << v.status().ToString();
    EXPECT_EQ(v->payload, "hello");
    EXPECT_EQ(v->header["alg"], AlgName(alg));
  }
  auto rs = Sign({{"typ", "JWT"}}, "payload", Rs256("kid-1"));
  ASSERT_TRUE(rs.ok());
  auto v = Verify(*rs, Alg::kRS256, RsaLookup());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->header["kid"], "kid-1");
  EXPECT_EQ(v->header["typ"], "JWT");

  auto es = Sign(nullptr, "payload", Es256());
  ASSERT_TRUE(es.ok());
  EXPECT_TRUE(Verify(*es, Alg::kES256, EcLookup()).ok());
  // An empty payload is allowed.
  auto empty = Sign(nullptr, "", Es256());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(Verify(*empty, Alg::kES256, EcLookup()).ok());
}

TEST_F(JwsTest, SignRefusesBadHeadersAndWeakSecrets) {
  EXPECT_FALSE(Sign(nlohmann::json::array(), "x", Hs256()).ok());
  EXPECT_FALSE(Sign({{"alg", "none"}}, "x", Hs256()).ok());
  EXPECT_FALSE(Sign({{"crit", {"exp"}}}, "x", Hs256()).ok());
  EXPECT_FALSE(Sign({{"b64", false}}, "x", Hs256()).ok());
  EXPECT_TRUE(Sign({{"alg", "HS256"}}, "x", Hs256()).ok());

  EXPECT_FALSE(SigningKey::Hmac(Alg::kHS256, std::string(31, 'k')).ok());
  EXPECT_TRUE(SigningKey::Hmac(Alg::kHS256, std::string(32, 'k')).ok());
  EXPECT_FALSE(SigningKey::Hmac(Alg::kHS512, std::string(32, 'k')).ok());
  EXPECT_FALSE(SigningKey::Hmac(Alg::kRS256, std::string(64, 'k')).ok());
  EXPECT_FALSE(SigningKey::Asymmetric(Alg::kES256, *rsa_).ok());
  EXPECT_FALSE(SigningKey::Asymmetric(Alg::kRS256, *ec_).ok());
  EXPECT_FALSE(SigningKey::Asymmetric(Alg::kHS256, *rsa_).ok());
}

// ---------------------------------------------------------------- refusals

TEST_F(JwsTest, RefusesAlgNoneInAnyCasing) {
  for (const char* none : {"none", "None", "NONE", "nOnE"}) {
    const std::string header = std::string(R"({"alg":")") + none + R"("})";
    const std::string token = Base64UrlEncode(header) + "." + Base64UrlEncode("{}") + ".";
    for (Alg pinned : {Alg::kHS256, Alg::kRS256, Alg::kES256}) {
      KeyLookup lookup = pinned == Alg::kHS256 ? HsLookup() : RsaLookup();
      auto v = Verify(token, pinned, lookup);
      ASSERT_FALSE(v.ok()) << none;
      EXPECT_EQ(v.status().code(), ErrorCode::kUnauthenticated) << none;
    }
  }
}

TEST_F(JwsTest, RefusesAlgOtherThanPinned) {
  auto token = *Sign(nullptr, "x", Hs256());
  auto v = Verify(token, Alg::kHS384, HsLookup());
  EXPECT_EQ(v.status().code(), ErrorCode::kUnauthenticated);
  // Case matters: "hs256" is not HS256.
  auto lower = Forge(R"({"alg":"hs256"})", "x", Hs256());
  EXPECT_EQ(Verify(lower, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kUnauthenticated);
  // A valid RS256 token is refused when ES256 is pinned.
  auto rs = *Sign(nullptr, "x", Rs256());
  EXPECT_EQ(Verify(rs, Alg::kES256, RsaLookup()).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(JwsTest, RefusesHs256SignedWithRsaPublicKeyPem) {
  // The classic confusion: the attacker HMACs with the public key's PEM bytes
  // and sets alg=HS256, hoping the verifier uses "the key" as a secret.
  const std::string pem = *rsa_->Public().ToPem();
  auto forged_key = *SigningKey::Hmac(Alg::kHS256, pem);
  auto token = *Sign(nullptr, R"({"sub":"admin"})", forged_key);
  auto v = Verify(token, Alg::kRS256, RsaLookup());
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), ErrorCode::kUnauthenticated);
  // Even a verifier that wrongly pins HS256 with the RSA public key refuses:
  // a public key never verifies an HMAC.
  EXPECT_EQ(Verify(token, Alg::kHS256, RsaLookup()).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(JwsTest, RefusesEmptySecret) {
  auto v = Verify(Forge(R"({"alg":"HS256"})", "x", Hs256()), Alg::kHS256,
                  FixedKey(VerificationKey::Secret("")));
  EXPECT_EQ(v.status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(JwsTest, WrongOrMissingKid) {
  auto token = *Sign(nullptr, "x", Rs256("good"));
  KeyLookup lookup = [](std::string_view kid) -> Result<VerificationKey> {
    if (kid == "good") return VerificationKey::Public(rsa_->Public());
    return NotFound("unknown kid");
  };
  EXPECT_TRUE(Verify(token, Alg::kRS256, lookup, {.require_kid = true}).ok());
  auto wrong = *Sign(nullptr, "x", Rs256("evil"));
  EXPECT_EQ(Verify(wrong, Alg::kRS256, lookup).status().code(), ErrorCode::kUnauthenticated);
  auto none = *Sign(nullptr, "x", Rs256());
  EXPECT_EQ(Verify(none, Alg::kRS256, lookup, {.require_kid = true}).status().code(),
            ErrorCode::kUnauthenticated);
  auto numeric = Forge(R"({"alg":"HS256","kid":7})", "x", Hs256());
  EXPECT_EQ(Verify(numeric, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
  // Lookup errors other than NotFound pass through.
  KeyLookup down = [](std::string_view) -> Result<VerificationKey> {
    return Unavailable("db down");
  };
  EXPECT_EQ(Verify(token, Alg::kRS256, down).status().code(), ErrorCode::kUnavailable);
}

TEST_F(JwsTest, RefusesWrongPartCounts) {
  const std::string token = *Sign(nullptr, "x", Hs256());
  const std::string two = token.substr(0, token.rfind('.'));
  for (const std::string& bad : {std::string(), std::string("."), std::string(".."), two,
                                 token + ".", token + ".abc", token + "..", "." + token}) {
    auto v = Verify(bad, Alg::kHS256, HsLookup());
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_NE(v.status().code(), ErrorCode::kOk);
  }
  EXPECT_EQ(Verify(two, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Verify(token + ".abc", Alg::kHS256, HsLookup()).status().code(),
            ErrorCode::kInvalidArgument);
  // Truncated signature (still valid base64url: 40 characters).
  EXPECT_EQ(Verify(token.substr(0, token.size() - 3), Alg::kHS256, HsLookup()).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_F(JwsTest, RefusesMalformedBase64url) {
  const std::string token = *Sign(nullptr, "hello!", Hs256());
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.rfind('.');
  // Padding on each part.
  EXPECT_EQ(Verify(token + "=", Alg::kHS256, HsLookup()).status().code(),
            ErrorCode::kInvalidArgument);
  std::string padded_payload = token;
  padded_payload.insert(dot2, "=");
  EXPECT_EQ(Verify(padded_payload, Alg::kHS256, HsLookup()).status().code(),
            ErrorCode::kInvalidArgument);
  // '+' and '/' from the standard alphabet, and whitespace.
  std::string plus = token;
  plus[dot2 + 3] = '+';
  EXPECT_EQ(Verify(plus, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
  std::string slash = token;
  slash[dot1 - 1] = '/';
  EXPECT_EQ(Verify(slash, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
  std::string space = token;
  space.insert(dot1 + 1, " ");
  EXPECT_EQ(Verify(space, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(JwsTest, RefusesOversizedTokens) {
  const std::string big_payload(1024 * 1024, 'a');
  auto token = *Sign(nullptr, big_payload, Hs256());
  auto v = Verify(token, Alg::kHS256, HsLookup());
  EXPECT_EQ(v.status().code(), ErrorCode::kResourceExhausted);
  // The cap is configurable.
  EXPECT_TRUE(Verify(token, Alg::kHS256, HsLookup(), {.max_token_bytes = 2 * 1024 * 1024}).ok());
  auto small = *Sign(nullptr, "x", Hs256());
  EXPECT_EQ(Verify(small, Alg::kHS256, HsLookup(), {.max_token_bytes = 10}).status().code(),
            ErrorCode::kResourceExhausted);
}

TEST_F(JwsTest, RefusesBadHeaders) {
  for (const char* header : {"[]", "\"HS256\"", "null", "{", "{\"alg\":\"HS256\"", "",
                             "{\"alg\":256}", "{\"typ\":\"JWT\"}"}) {
    auto v = Verify(Forge(header, "x", Hs256()), Alg::kHS256, HsLookup());
    ASSERT_FALSE(v.ok()) << header;
    EXPECT_EQ(v.status().code(), ErrorCode::kInvalidArgument) << header;
  }
  // Invalid UTF-8 in the header JSON.
  auto latin1 = Forge("{\"alg\":\"HS256\",\"x\":\"\xff\"}", "x", Hs256());
  EXPECT_EQ(Verify(latin1, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(JwsTest, RefusesCritAndUnencodedPayload) {
  auto crit = Forge(R"({"alg":"HS256","crit":["exp"],"exp":1})", "x", Hs256());
  EXPECT_EQ(Verify(crit, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
  auto empty_crit = Forge(R"({"alg":"HS256","crit":[]})", "x", Hs256());
  EXPECT_EQ(Verify(empty_crit, Alg::kHS256, HsLookup()).status().code(),
            ErrorCode::kInvalidArgument);
  auto b64 = Forge(R"({"alg":"HS256","b64":false,"crit":["b64"]})", "x", Hs256());
  EXPECT_EQ(Verify(b64, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
  auto b64_only = Forge(R"({"alg":"HS256","b64":false})", "x", Hs256());
  EXPECT_EQ(Verify(b64_only, Alg::kHS256, HsLookup()).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(JwsTest, Es256RefusesZeroAndDerSignatures) {
  const std::string token = *Sign(nullptr, "x", Es256());
  const std::string input = SigningInput(token);
  const std::string sig = *Base64UrlDecode(token.substr(token.rfind('.') + 1));
  ASSERT_EQ(sig.size(), 64u);
  auto zero = input + "." + Base64UrlEncode(std::string(64, '\0'));
  EXPECT_EQ(Verify(zero, Alg::kES256, EcLookup()).status().code(), ErrorCode::kUnauthenticated);
  // The same (r, s) DER-encoded, as some libraries emit by mistake.
  auto der_int = [](std::string v) {
    while (v.size() > 1 && v[0] == '\0' && !(v[1] & 0x80)) v.erase(0, 1);
    if (v[0] & 0x80) v.insert(0, 1, '\0');
    return std::string("\x02") + static_cast<char>(v.size()) + v;
  };
  std::string body = der_int(sig.substr(0, 32)) + der_int(sig.substr(32));
  std::string der = std::string("\x30") + static_cast<char>(body.size()) + body;
  auto der_token = input + "." + Base64UrlEncode(der);
  EXPECT_EQ(Verify(der_token, Alg::kES256, EcLookup()).status().code(),
            ErrorCode::kUnauthenticated);
  // A flipped bit fails; the original passes.
  std::string flipped = sig;
  flipped[5] ^= 0x01;
  EXPECT_EQ(Verify(input + "." + Base64UrlEncode(flipped), Alg::kES256, EcLookup()).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(Verify(token, Alg::kES256, EcLookup()).ok());
}

TEST_F(JwsTest, RefusesKeyOfWrongType) {
  auto es = *Sign(nullptr, "x", Es256());
  EXPECT_EQ(Verify(es, Alg::kES256, RsaLookup()).status().code(), ErrorCode::kUnauthenticated);
  auto rs = *Sign(nullptr, "x", Rs256());
  EXPECT_EQ(Verify(rs, Alg::kRS256, EcLookup()).status().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(Verify(rs, Alg::kRS256, HsLookup()).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(JwsTest, Rsa1024KeyIsRefused) {
  // RSA-1024 public key (openssl genrsa 1024); whatever the token, it never verifies.
  constexpr char kPem[] = R"(-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDeCqHRReIsYMNtNulVtVkPBjU6
SH3epAMYTfotzNlTAXNsoi60QGxzLNwZnZvVUwJvkrMWgh6/u0EN54OR0BIEydx/
2E9SYpvXFp2ZksLJLNVCGE4uUM+7PjtGzZlL/goKN1lPdIjB3j4gnwwvEUU6FWOu
FDw+LpmYSRcJPjXiZQIDAQAB
-----END PUBLIC KEY-----
)";
  // A genuine RS256 token signed by that key (openssl dgst -sha256 -sign).
  constexpr char kToken[] =
      "eyJhbGciOiJSUzI1NiJ9.eA.aTLls8vChY2BnuNVxMdBe624BRYtCKh_"
      "v9RGha95EErPy55caC4MHEjvEhZ458etunWuSU"
      "SK-GcSOdPRlqZXE2LDAYjUPdMVMltxi1TS8agLp10K4qRNMTDmbpCM1EET5sDjcAV_uqbt-"
      "qXdCNp6neaZ7iyvKFlhqN_oi"
      "LbQzZY";
  auto pub = crypto::PublicKey::FromPem(kPem);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->bits(), 1024);
  EXPECT_EQ(Verify(kToken, Alg::kRS256, FixedKey(VerificationKey::Public(*pub))).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_FALSE(crypto::PrivateKey::GenerateRsa(1024).ok());
}

}  // namespace
}  // namespace gatehouse::jose
