#include "crypto/asymmetric_key.h"

#include <gtest/gtest.h>

#include "core/base64url.h"
#include "crypto/hex.h"

namespace gatehouse::crypto {
namespace {

using testing::FromHex;

// Generated once with `openssl genrsa 1024`; the signature is
// `openssl dgst -sha256 -sign` over "hello".
constexpr char kRsa1024PublicPem[] = R"(-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDeCqHRReIsYMNtNulVtVkPBjU6
SH3epAMYTfotzNlTAXNsoi60QGxzLNwZnZvVUwJvkrMWgh6/u0EN54OR0BIEydx/
2E9SYpvXFp2ZksLJLNVCGE4uUM+7PjtGzZlL/goKN1lPdIjB3j4gnwwvEUU6FWOu
FDw+LpmYSRcJPjXiZQIDAQAB
-----END PUBLIC KEY-----
)";
constexpr char kRsa1024SignatureOfHello[] =
    "IuK9CBwhpzqntUEejaLh3zQLbZBsaTp2zBbrQCeZTyvAwR6X2XOY+Q1sTrOORXYL3KGHQAE+IICNO1J0nTG5u3XiP2UZ5"
    "VzwXNVbtoCnJODQt0pYZ7r/AfQvj23xomk5Q0jv4wOyYkWFZIcLP63QSLCjzEx43q3eQsbfTPjFZ4I=";

constexpr char kP384PublicPem[] = R"(-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEaiEAKz5xwkKXmu8svCsY3EMZdD3pJZju
z9OL7tJVCcRxNymA/D8NnJlbHIv+YX/hOnxWeLdEGMSgLTk59GqNls/4kgWfBCJM
Vg5Xu9sv8AEtmzarKSYzEgIIW4CfEqtR
-----END PUBLIC KEY-----
)";

// A self-signed P-256 certificate (openssl req -x509) and its public point.
constexpr char kP256CertPem[] = R"(-----BEGIN CERTIFICATE-----
MIIBdTCCARugAwIBAgIUXfFouG4yWHc7D3iuQ3HDVcaazzgwCgYIKoZIzj0EAwIw
DzENMAsGA1UEAwwEdGVzdDAgFw0yNjExMjgwMzM4MzlaGA8yMTI2MTEwNDAzMzgz
OVowDzENMAsGA1UEAwwEdGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABM6h
qNYUh9X6ZrZZLPw+TMEnu0Wo+5ONj9YxqGMdzVSdDPXSe0UO0GqeytipHbvbyzqP
dgb50ehsafzkgo6w0jqjUzBRMB0GA1UdDgQWBBQcUKVdjOkATVbtyu3W91Fz87ru
PDAfBgNVHSMEGDAWgBQcUKVdjOkATVbtyu3W91Fz87ruPDAPBgNVHRMBAf8EBTAD
AQH/MAoGCCqGSM49BAMCA0gAMEUCIFukngMGFthYGz3fkM0uahaXJ+rgOzuDCYcs
PrbbZZ8VAiEAs3IUuPb/gdCxffQUpQOm2ZABzN6eis6d+ur2gj4DAQU=
-----END CERTIFICATE-----
)";
constexpr char kP256CertX[] = "cea1a8d61487d5fa66b6592cfc3e4cc127bb45a8fb938d8fd631a8631dcd549d";
constexpr char kP256CertY[] = "0cf5d27b450ed06a9ecad8a91dbbdbcb3a8f7606f9d1e86c69fce4828eb0d23a";

// Generated keys are slow (RSA), so the suite shares one of each.
class AsymmetricKeyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rsa = PrivateKey::GenerateRsa(2048);
    auto ec = PrivateKey::GenerateEcP256();
    ASSERT_TRUE(rsa.ok() && ec.ok());
    rsa_ = new PrivateKey(*rsa);
    ec_ = new PrivateKey(*ec);
  }
  static void TearDownTestSuite() {
    delete rsa_;
    delete ec_;
  }
  static PrivateKey* rsa_;
  static PrivateKey* ec_;
};
PrivateKey* AsymmetricKeyTest::rsa_ = nullptr;
PrivateKey* AsymmetricKeyTest::ec_ = nullptr;

TEST_F(AsymmetricKeyTest, RsaSignVerifyRoundTrip) {
  EXPECT_EQ(rsa_->kind(), KeyKind::kRsa);
  auto sig = rsa_->Sign(Hash::kSha256, "payload");
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(sig->size(), 256u);
  PublicKey pub = rsa_->Public();
  EXPECT_EQ(pub.kind(), KeyKind::kRsa);
  EXPECT_EQ(pub.bits(), 2048);
  EXPECT_TRUE(pub.Verify(Hash::kSha256, "payload", *sig));
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payloaD", *sig));
  EXPECT_FALSE(pub.Verify(Hash::kSha384, "payload", *sig));
  std::string bad = *sig;
  bad[10] ^= 1;
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", bad));
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", ""));
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", sig->substr(1)));
  // PKCS#1 v1.5 is deterministic.
  EXPECT_EQ(*rsa_->Sign(Hash::kSha256, "payload"), *sig);
}

TEST_F(AsymmetricKeyTest, EcSignVerifyRoundTripUsesJoseForm) {
  EXPECT_EQ(ec_->kind(), KeyKind::kEcP256);
  auto sig = ec_->Sign(Hash::kSha256, "payload");
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(sig->size(), 64u);
  PublicKey pub = ec_->Public();
  EXPECT_EQ(pub.kind(), KeyKind::kEcP256);
  EXPECT_EQ(pub.bits(), 256);
  EXPECT_TRUE(pub.Verify(Hash::kSha256, "payload", *sig));
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "other", *sig));
  std::string bad = *sig;
  bad[40] ^= 1;
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", bad));
  // Many signatures: r or s with a leading zero byte still round-trip.
  for (int i = 0; i < 50; ++i) {
    auto s = ec_->Sign(Hash::kSha256, std::to_string(i));
    ASSERT_TRUE(s.ok());
    ASSERT_EQ(s->size(), 64u);
    EXPECT_TRUE(pub.Verify(Hash::kSha256, std::to_string(i), *s));
  }
}

TEST_F(AsymmetricKeyTest, EcRejectsZeroDerAndWrongLengthSignatures) {
  PublicKey pub = ec_->Public();
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", std::string(64, '\0')));
  auto sig = *ec_->Sign(Hash::kSha256, "payload");
  // r = 0 with a valid s, and s = 0 with a valid r.
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", std::string(32, '\0') + sig.substr(32)));
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", sig.substr(0, 32) + std::string(32, '\0')));
  // r = s = n (the group order) is out of range.
  const std::string order =
      FromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", order + order));
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", sig.substr(0, 63)));
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", sig + "x"));
  // The same signature in DER (as OpenSSL itself produces) is refused.
  std::string der = "\x30\x44\x02\x20" + sig.substr(0, 32) + "\x02\x20" + sig.substr(32);
  EXPECT_FALSE(pub.Verify(Hash::kSha256, "payload", der));
}

TEST_F(AsymmetricKeyTest, PemRoundTrips) {
  for (const PrivateKey* key : {rsa_, ec_}) {
    auto pem = key->ToPem();
    ASSERT_TRUE(pem.ok());
    EXPECT_NE(pem->find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    auto loaded = PrivateKey::FromPem(*pem);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->kind(), key->kind());
    auto sig = loaded->Sign(Hash::kSha256, "x");
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(key->Public().Verify(Hash::kSha256, "x", *sig));

    auto pub_pem = key->Public().ToPem();
    ASSERT_TRUE(pub_pem.ok());
    EXPECT_NE(pub_pem->find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
    auto pub = PublicKey::FromPem(*pub_pem);
    ASSERT_TRUE(pub.ok()) << pub.status().ToString();
    EXPECT_EQ(pub->Components(), key->Public().Components());
    EXPECT_TRUE(pub->Verify(Hash::kSha256, "x", *sig));
  }
}

TEST_F(AsymmetricKeyTest, ComponentsRoundTrip) {
  auto [n, e] = rsa_->Public().Components();
  EXPECT_EQ(n.size(), 256u);
  EXPECT_EQ(e, std::string("\x01\x00\x01", 3));
  auto rsa = PublicKey::FromRsaComponents(n, e);
  ASSERT_TRUE(rsa.ok()) << rsa.status().ToString();
  auto sig = *rsa_->Sign(Hash::kSha256, "x");
  EXPECT_TRUE(rsa->Verify(Hash::kSha256, "x", sig));
  // Leading zero bytes are allowed on input.
  EXPECT_TRUE(PublicKey::FromRsaComponents(std::string(1, '\0') + n, e).ok());

  auto [x, y] = ec_->Public().Components();
  EXPECT_EQ(x.size(), 32u);
  EXPECT_EQ(y.size(), 32u);
  auto ec = PublicKey::FromEcP256(x, y);
  ASSERT_TRUE(ec.ok()) << ec.status().ToString();
  auto ec_sig = *ec_->Sign(Hash::kSha256, "x");
  EXPECT_TRUE(ec->Verify(Hash::kSha256, "x", ec_sig));
}

TEST(PublicKeyTest, RejectsBadRsaComponents) {
  EXPECT_FALSE(PublicKey::FromRsaComponents("", "\x01\x00\x01").ok());
  EXPECT_FALSE(PublicKey::FromRsaComponents(std::string(256, '\xff'), "").ok());
  EXPECT_FALSE(PublicKey::FromRsaComponents(std::string(256, '\xff'), "\x02").ok());
  EXPECT_FALSE(PublicKey::FromRsaComponents(std::string(256, '\xff'), "\x01").ok());
  EXPECT_FALSE(PublicKey::FromRsaComponents(std::string(2048, '\xff'), "\x01\x00\x01").ok());
}

TEST(PublicKeyTest, EcPointMustBeOnCurve) {
  const std::string x = FromHex(kP256CertX);
  const std::string y = FromHex(kP256CertY);
  ASSERT_TRUE(PublicKey::FromEcP256(x, y).ok());
  std::string y_bad = y;
  y_bad[31] ^= 1;
  auto off = PublicKey::FromEcP256(x, y_bad);
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(PublicKey::FromEcP256(std::string(32, '\0'), std::string(32, '\0')).ok());
  EXPECT_FALSE(PublicKey::FromEcP256(x.substr(1), y).ok());
  EXPECT_FALSE(PublicKey::FromEcP256(x, y + "a").ok());
}

TEST(PublicKeyTest, LoadsCertificate) {
  auto pub = PublicKey::FromPem(kP256CertPem);
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(pub->kind(), KeyKind::kEcP256);
  EXPECT_EQ(pub->Components().first, FromHex(kP256CertX));
  EXPECT_EQ(pub->Components().second, FromHex(kP256CertY));
}

TEST(PublicKeyTest, Rsa1024LoadsButNeverVerifies) {
  auto pub = PublicKey::FromPem(kRsa1024PublicPem);
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(pub->bits(), 1024);
  auto sig = Base64Decode(kRsa1024SignatureOfHello);
  ASSERT_TRUE(sig.has_value());
  EXPECT_FALSE(pub->Verify(Hash::kSha256, "hello", *sig));
}

TEST(PublicKeyTest, RejectsOtherCurvesLabelsAndJunk) {
  EXPECT_FALSE(PublicKey::FromPem(kP384PublicPem).ok());
  EXPECT_FALSE(PublicKey::FromPem("").ok());
  EXPECT_FALSE(PublicKey::FromPem("not a pem").ok());
  EXPECT_FALSE(
      PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").ok());
  EXPECT_FALSE(PublicKey::FromPem(std::string("junk\n") + kRsa1024PublicPem).ok());
}

TEST(PublicKeyTest, LoadsPkcs1RsaPublicKey) {
  constexpr char kPkcs1[] = R"(-----BEGIN RSA PUBLIC KEY-----
MIGJAoGBAN4KodFF4ixgw2026VW1WQ8GNTpIfd6kAxhN+i3M2VMBc2yiLrRAbHMs
3Bmdm9VTAm+SsxaCHr+7QQ3ng5HQEgTJ3H/YT1Jim9cWnZmSwsks1UIYTi5Qz7s+
O0bNmUv+Cgo3WU90iMHePiCfDC8RRToVY64UPD4umZhJFwk+NeJlAgMBAAE=
-----END RSA PUBLIC KEY-----
)";
  auto pkcs1 = PublicKey::FromPem(kPkcs1);
  ASSERT_TRUE(pkcs1.ok()) << pkcs1.status().ToString();
  auto spki = PublicKey::FromPem(kRsa1024PublicPem);
  ASSERT_TRUE(spki.ok());
  EXPECT_EQ(pkcs1->Components(), spki->Components());
}

TEST(PrivateKeyTest, LoadsSec1EcPrivateKey) {
  constexpr char kSec1[] = R"(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIJHOXSqHwARvgSBK89tdDLLJ1IfCsMHrI3d3mQBU+OSDoAoGCCqGSM49
AwEHoUQDQgAEPSMrELPNhYX00ayKwfv22cLpRMm13twRrhPkjple17uNKZH+jjvU
fSdB8PXmvxEvaYnZ0uDspnuYt6awQdTVgQ==
-----END EC PRIVATE KEY-----
)";
  auto key = PrivateKey::FromPem(kSec1);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->kind(), KeyKind::kEcP256);
  EXPECT_EQ(key->Public().Components().first,
            FromHex("3d232b10b3cd8585f4d1ac8ac1fbf6d9c2e944c9b5dedc11ae13e48e995ed7bb"));
  auto sig = key->Sign(Hash::kSha256, "m");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key->Public().Verify(Hash::kSha256, "m", *sig));
}

TEST_F(AsymmetricKeyTest, PublicFromPemRefusesPrivateKey) {
  auto pem = *ec_->ToPem();
  EXPECT_FALSE(PublicKey::FromPem(pem).ok());
}

TEST(PrivateKeyTest, RefusesSmallRsaAndBadInput) {
  EXPECT_FALSE(PrivateKey::GenerateRsa(1024).ok());
  EXPECT_FALSE(PrivateKey::FromPem("").ok());
  EXPECT_FALSE(PrivateKey::FromPem(kRsa1024PublicPem).ok());
  EXPECT_FALSE(
      PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
  EXPECT_FALSE(PrivateKey::FromPem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n").ok());
}

}  // namespace
}  // namespace gatehouse::crypto
