// /userinfo, /oauth/revoke, discovery and JWKS.

#include "oauth/discovery.h"
#include "oauth/oauth_server_fixture.h"

namespace gatehouse::oauth {
namespace {

using testing::kIssuer;

class EndpointsTest : public testing::OAuthServerTest {
 protected:
  nlohmann::json Login(const std::string& scope) {
    auto res = WebToken({{"grant_type", "authorization_code"},
                         {"code", Code(web_, scope)},
                         {"redirect_uri", "https://app.example.com/cb"}});
    EXPECT_EQ(res.status, 200) << res.body;
    return Body(res);
  }
};

TEST_F(EndpointsTest, UserinfoClaimsFollowScope) {
  auto t = Login("openid profile");
  auto info = Body(Userinfo(t["access_token"]));
  EXPECT_EQ(info["sub"], user_.user_id());
  EXPECT_EQ(info["given_name"], "Ada");
  EXPECT_FALSE(info.contains("email"));

  auto post = Call("POST", "/userinfo", "access_token=" + t["access_token"].get<std::string>(),
                   {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(post.status, 200) << post.body;
}

TEST_F(EndpointsTest, UserinfoErrors) {
  auto missing = Call("GET", "/userinfo");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.GetHeader("WWW-Authenticate"), "Bearer realm=\"gatehouse\"");

  auto garbage = Userinfo("abc.def.ghi");
  EXPECT_EQ(garbage.status, 401);
  EXPECT_NE(garbage.GetHeader("WWW-Authenticate").find("error=\"invalid_token\""),
            std::string::npos);

  auto no_openid = Login("profile");
  auto insufficient = Userinfo(no_openid["access_token"]);
  EXPECT_EQ(insufficient.status, 403);
  EXPECT_NE(insufficient.GetHeader("WWW-Authenticate").find("insufficient_scope"),
            std::string::npos);

  auto t = Login("openid");
  // Expired.
  env_.clock.Advance(std::chrono::seconds(86400));
  EXPECT_EQ(Userinfo(t["access_token"]).status, 401);
}

TEST_F(EndpointsTest, UserinfoRefusesBlockedOrDeletedUsers) {
  auto t = Login("openid");
  auto rec = user_.record;
  rec.blocked = true;
  auto& repo = env_.storage->users();
  ASSERT_TRUE(repo.Update(rec, rec.version).ok());
  EXPECT_EQ(Userinfo(t["access_token"]).status, 401);
}

TEST_F(EndpointsTest, UserinfoRefusesTamperedOpaqueTokens) {
  std::string at = Login("openid")["access_token"];
  ASSERT_EQ(Userinfo(at).status, 200);
  auto claims = OpaqueClaims(at);
  ASSERT_TRUE(claims.is_object());
  const std::string mac = at.substr(at.find('.'));
  auto reseal = [](const nlohmann::json& c, const std::string& key) {
    return SealAccessToken(c, key);
  };
  // Another subject under the original MAC; the same under another key.
  nlohmann::json other = claims;
  other["sub"] = "auth0|someone-else";
  EXPECT_EQ(Userinfo("gh1_" + Base64UrlEncode(other.dump()) + mac).status, 401);
  EXPECT_EQ(Userinfo(reseal(claims, "not-the-server-key")).status, 401);
  EXPECT_EQ(Userinfo(reseal(claims, "")).status, 401);
  // Sealed with the real key (as if it leaked) but expired, for another
  // issuer, or for another audience: the claims are still checked.
  nlohmann::json expired = claims;
  expired["exp"] = env_.clock.NowSeconds();
  EXPECT_EQ(Userinfo(reseal(expired, testing::kAccessTokenKey)).status, 401);
  nlohmann::json issuer = claims;
  issuer["iss"] = "https://other.example.com/";
  EXPECT_EQ(Userinfo(reseal(issuer, testing::kAccessTokenKey)).status, 401);
  nlohmann::json audience = claims;
  audience["aud"] = nlohmann::json::array({"https://api.example.com/"});
  EXPECT_EQ(Userinfo(reseal(audience, testing::kAccessTokenKey)).status, 401);
  // Shapes: no MAC, empty MAC, empty payload, not JSON, huge.
  EXPECT_EQ(Userinfo(at.substr(0, at.find('.'))).status, 401);
  EXPECT_EQ(Userinfo(at.substr(0, at.find('.') + 1)).status, 401);
  EXPECT_EQ(Userinfo("gh1_" + mac).status, 401);
  EXPECT_EQ(Userinfo("gh1_").status, 401);
  EXPECT_EQ(Userinfo(reseal(nlohmann::json::array({1}), testing::kAccessTokenKey)).status, 401);
  EXPECT_EQ(Userinfo(at + std::string(10000, 'A')).status, 401);
  // The genuine token still works.
  EXPECT_EQ(Userinfo(at).status, 200);
}

TEST_F(EndpointsTest, UserinfoRefusesTamperedJwtAccessTokens) {
  auto res = WebToken({{"grant_type", "authorization_code"},
                       {"code", Code(web_, "openid", "", "", "https://api.example.com/")},
                       {"redirect_uri", "https://app.example.com/cb"}});
  ASSERT_EQ(res.status, 200) << res.body;
  std::string at = Body(res)["access_token"];
  ASSERT_EQ(Userinfo(at).status, 200);
  // Swap the payload for one with another subject, keeping the signature.
  auto a = at.find('.');
  auto b = at.find('.', a + 1);
  auto claims = Claims(at);
  claims["sub"] = "auth0|someone-else";
  std::string forged = at.substr(0, a + 1) + Base64UrlEncode(claims.dump()) + at.substr(b);
  EXPECT_EQ(Userinfo(forged).status, 401);
  // alg=none.
  std::string none =
      Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + Base64UrlEncode(claims.dump()) + ".";
  EXPECT_EQ(Userinfo(none).status, 401);
}

TEST_F(EndpointsTest, RevokeRefreshTokenKillsFamily) {
  auto t = Login("openid offline_access");
  auto res = Call("POST", "/oauth/revoke",
                  FormBody({{"token", t["refresh_token"]}, {"token_type_hint", "refresh_token"}}),
                  {{"Content-Type", "application/x-www-form-urlencoded"}, Basic(web_)});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store");
  EXPECT_EQ(
      Error(WebToken({{"grant_type", "refresh_token"}, {"refresh_token", t["refresh_token"]}})),
      "invalid_grant");
  EXPECT_EQ(Userinfo(t["access_token"]).status, 401);
}

TEST_F(EndpointsTest, RevokeEdgeCases) {
  auto t = Login("openid offline_access");
  auto revoke = [&](const CreatedClient& c, const std::string& token) {
    return Call("POST", "/oauth/revoke", FormBody({{"token", token}}),
                {{"Content-Type", "application/x-www-form-urlencoded"}, Basic(c)});
  };
  EXPECT_EQ(revoke(web_, "unknown-token").status, 200);
  EXPECT_EQ(revoke(web_, t["access_token"]).status, 200);  // JWTs: nothing to do
  Client spec;
  spec.name = "other";
  auto other = env_.MakeClient(spec);
  EXPECT_EQ(revoke(other, t["refresh_token"]).status, 200);
  // ... and the owner's token still works.
  EXPECT_EQ(
      WebToken({{"grant_type", "refresh_token"}, {"refresh_token", t["refresh_token"]}}).status,
      200);

  auto bad_client =
      Call("POST", "/oauth/revoke", FormBody({{"token", "x"}}),
           {{"Content-Type", "application/x-www-form-urlencoded"},
            {"Authorization", "Basic " + Base64Encode(web_.client.client_id + ":no")}});
  EXPECT_EQ(bad_client.status, 401);
  EXPECT_EQ(Error(bad_client), "invalid_client");
  auto no_token = Call("POST", "/oauth/revoke", "",
                       {{"Content-Type", "application/x-www-form-urlencoded"}, Basic(web_)});
  EXPECT_EQ(Error(no_token), "invalid_request");
}

TEST_F(EndpointsTest, DiscoveryAndJwks) {
  auto res = Call("GET", "/.well-known/openid-configuration");
  ASSERT_EQ(res.status, 200);
  auto d = Body(res);
  EXPECT_EQ(d["issuer"], kIssuer);
  EXPECT_EQ(d["token_endpoint"], std::string(kIssuer) + "oauth/token");
  EXPECT_EQ(d["jwks_uri"], std::string(kIssuer) + ".well-known/jwks.json");
  EXPECT_EQ(d["code_challenge_methods_supported"], nlohmann::json::array({"S256"}));
  EXPECT_EQ(d["authorization_response_iss_parameter_supported"], true);
  EXPECT_NE(res.GetHeader("Cache-Control").find("max-age"), std::string::npos);

  EXPECT_EQ(res.GetHeader("Content-Type"), "application/json");
  EXPECT_EQ(d, DiscoveryDocument(kIssuer)) << "the cached body is the document";

  auto jwks = Body(Call("GET", "/.well-known/jwks.json"));
  ASSERT_TRUE(jwks["keys"].is_array());
  EXPECT_GE(jwks["keys"].size(), 2u);
  for (const auto& k : jwks["keys"]) {
    EXPECT_TRUE(k.contains("kid"));
    EXPECT_FALSE(k.contains("d"));
  }
}

// One body per issuer: a custom domain never gets another domain's endpoints.
TEST(DiscoveryCacheTest, OneBodyPerIssuer) {
  DiscoveryCache cache;
  const std::string a = "https://a.example/", b = "https://b.example/";
  EXPECT_EQ(cache.Body(a), DiscoveryDocument(a).dump());
  EXPECT_EQ(cache.Body(b), DiscoveryDocument(b).dump());
  EXPECT_EQ(cache.Body(a), DiscoveryDocument(a).dump());
  for (size_t i = 0; i < DiscoveryCache::kMaxIssuers + 5; ++i) {
    const std::string issuer = "https://n" + std::to_string(i) + ".example/";
    EXPECT_EQ(cache.Body(issuer), DiscoveryDocument(issuer).dump());
  }
}

}  // namespace
}  // namespace gatehouse::oauth
