// The relying-party round trip of UpstreamClient against a scripted network
// (a fake http::OutboundClient: the network is the test double, the client
// under test is real): discovery, the token request, the JWKS cache and its
// refresh on an unknown kid.

#include "connections/upstream_client.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "core/clock.h"
#include "crypto/asymmetric_key.h"
#include "jose/jwk.h"
#include "jose/jwt.h"
#include "jose/signing_key.h"

namespace gatehouse::connections {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1'800'000'000;
constexpr char kIssuer[] = "https://idp.example/";

class ScriptedNetwork final : public http::OutboundClient {
 public:
  Result<http::OutboundResponse> Fetch(const http::OutboundRequest& request) override {
    std::lock_guard lock(mu_);
    requests.push_back(request);
    auto it = routes.find(request.url);
    if (it == routes.end()) return Unavailable("connection refused");
    http::OutboundResponse res = it->second;
    res.url = request.url;
    return res;
  }
  int Count(const std::string& url) {
    int n = 0;
    for (const auto& r : requests) n += r.url == url;
    return n;
  }
  std::map<std::string, http::OutboundResponse> routes;
  std::vector<http::OutboundRequest> requests;
  std::mutex mu_;
};

http::OutboundResponse JsonAnswer(int status, const json& body) {
  http::OutboundResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

class UpstreamClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    k1_ = new crypto::PrivateKey(*crypto::PrivateKey::GenerateEcP256());
    k2_ = new crypto::PrivateKey(*crypto::PrivateKey::GenerateEcP256());
  }
  static void TearDownTestSuite() {
    delete k1_;
    delete k2_;
  }

  UpstreamClientTest() : clock_(kNow) {
    conn_.name = "idp";
    conn_.issuer = kIssuer;
    conn_.client_id = "gatehouse";
    conn_.client_secret = "top secret";
    net_.routes["https://idp.example/.well-known/openid-configuration"] =
        JsonAnswer(200, {{"issuer", kIssuer},
                         {"authorization_endpoint", "https://idp.example/authorize"},
                         {"token_endpoint", "https://idp.example/oauth/token"},
                         {"jwks_uri", "https://idp.example/jwks"},
                         {"id_token_signing_alg_values_supported", {"ES256"}},
                         {"token_endpoint_auth_methods_supported", {"client_secret_basic"}}});
    PublishKeys({{k1_, "k1"}});
    client_ = UpstreamClient::Create(net_, clock_);
  }

  void PublishKeys(std::vector<std::pair<crypto::PrivateKey*, std::string>> keys) {
    json jwks = json::array();
    for (auto& [key, kid] : keys) jwks.push_back(jose::PublicJwk(key->Public(), kid, "ES256"));
    net_.routes["https://idp.example/jwks"] = JsonAnswer(200, {{"keys", jwks}});
  }

  void AnswerTokenWith(const crypto::PrivateKey& key, const std::string& kid,
                       json overrides = json::object()) {
    json claims = {{"iss", kIssuer}, {"aud", "gatehouse"}, {"sub", "u1"},
                   {"nonce", "N"},   {"iat", kNow},        {"exp", kNow + 60}};
    claims.update(overrides);
    auto signer = jose::SigningKey::Asymmetric(jose::Alg::kES256, key, kid);
    net_.routes["https://idp.example/oauth/token"] =
        JsonAnswer(200, {{"id_token", *jose::SignJwt(claims, *signer)}, {"token_type", "Bearer"}});
  }

  Result<UpstreamIdentity> Redeem() {
    return client_->Redeem(conn_, "the-code", "the-verifier", "https://gh.example/login/callback",
                           "N");
  }

  static crypto::PrivateKey* k1_;
  static crypto::PrivateKey* k2_;
  FakeClock clock_;
  ScriptedNetwork net_;
  Connection conn_;
  std::unique_ptr<UpstreamClient> client_;
};

crypto::PrivateKey* UpstreamClientTest::k1_ = nullptr;
crypto::PrivateKey* UpstreamClientTest::k2_ = nullptr;

TEST_F(UpstreamClientTest, RedeemsTheCodeWithPkceAndBasicAuth) {
  AnswerTokenWith(*k1_, "k1");
  auto identity = Redeem();
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->claims["sub"], "u1");
  const http::OutboundRequest* token = nullptr;
  for (const auto& r : net_.requests) {
    if (r.url == "https://idp.example/oauth/token") token = &r;
  }
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->method, "POST");
  EXPECT_NE(token->body.find("grant_type=authorization_code"), std::string::npos);
  EXPECT_NE(token->body.find("code=the-code"), std::string::npos);
  EXPECT_NE(token->body.find("code_verifier=the-verifier"), std::string::npos);
  EXPECT_EQ(token->body.find("client_secret"), std::string::npos);  // in the header instead
  bool basic = false;
  for (const auto& [name, value] : token->headers) {
    // base64("gatehouse:top%20secret"): the encoded halves (RFC 6749 §2.3.1).
    if (name == "Authorization") basic = value == "Basic Z2F0ZWhvdXNlOnRvcCUyMHNlY3JldA==";
  }
  EXPECT_TRUE(basic);
}

TEST_F(UpstreamClientTest, CachesDiscoveryAndJwks) {
  AnswerTokenWith(*k1_, "k1");
  ASSERT_TRUE(Redeem().ok());
  ASSERT_TRUE(Redeem().ok());
  EXPECT_EQ(net_.Count("https://idp.example/.well-known/openid-configuration"), 1);
  EXPECT_EQ(net_.Count("https://idp.example/jwks"), 1);
}

TEST_F(UpstreamClientTest, UnknownKidRefetchesTheJwksOnceForRotation) {
  AnswerTokenWith(*k1_, "k1");
  ASSERT_TRUE(Redeem().ok());
  PublishKeys({{k1_, "k1"}, {k2_, "k2"}});  // the provider rotated
  AnswerTokenWith(*k2_, "k2");
  clock_.SetSeconds(kNow + 30);  // past the refresh floor
  auto identity = Redeem();
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(net_.Count("https://idp.example/jwks"), 2);
}

TEST_F(UpstreamClientTest, ATokenSignedByAnUnpublishedKeyIsRefused) {
  AnswerTokenWith(*k2_, "k2");  // never in the JWKS
  EXPECT_EQ(Redeem().status().code(), ErrorCode::kUnauthenticated);
  // A burst of forged kids does not hammer the provider: the refresh has a floor.
  EXPECT_EQ(Redeem().status().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(net_.Count("https://idp.example/jwks"), 1);
}

TEST_F(UpstreamClientTest, WrongNonceAndIssuerAreRefused) {
  AnswerTokenWith(*k1_, "k1", {{"nonce", "other"}});
  EXPECT_EQ(Redeem().status().code(), ErrorCode::kUnauthenticated);
  AnswerTokenWith(*k1_, "k1", {{"iss", "https://evil.example/"}});
  EXPECT_EQ(Redeem().status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(UpstreamClientTest, TokenEndpointRefusalIsPermissionDenied) {
  net_.routes["https://idp.example/oauth/token"] = JsonAnswer(400, {{"error", "invalid_grant"}});
  auto identity = Redeem();
  EXPECT_EQ(identity.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(identity.status().message().find("invalid_grant"), std::string::npos);
}

TEST_F(UpstreamClientTest, DiscoveryOfAnotherIssuerIsRefused) {
  conn_.issuer = "https://other.example/";
  conn_.discovery_url = "https://idp.example/.well-known/openid-configuration";
  EXPECT_EQ(client_->Metadata(conn_).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(UpstreamClientTest, UnreachableProviderIsUnavailable) {
  net_.routes.clear();
  EXPECT_EQ(client_->Metadata(conn_).status().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace gatehouse::connections
