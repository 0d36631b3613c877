// /oauth/token with grant_type=authorization_code, end to end through the router.

#include "oauth/oauth_server_fixture.h"

namespace gatehouse::oauth {
namespace {

using testing::kIssuer;

class AuthorizationCodeGrantTest : public testing::OAuthServerTest {};

TEST_F(AuthorizationCodeGrantTest, ExchangesCodeForTokens) {
  std::string code = Code(web_, "openid profile email offline_access");
  auto res = WebToken({{"grant_type", "authorization_code"},
                       {"code", code},
                       {"redirect_uri", "https://app.example.com/cb"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store");
  EXPECT_EQ(res.GetHeader("Pragma"), "no-cache");
  auto body = Body(res);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 86400);
  EXPECT_EQ(body["scope"], "openid profile email offline_access");
  ASSERT_TRUE(body.contains("refresh_token"));

  // No API audience: an opaque token for /userinfo (as Auth0 issues), not a JWT.
  std::string access_token = body["access_token"];
  EXPECT_TRUE(access_token.starts_with("gh1_")) << access_token;
  EXPECT_EQ(std::count(access_token.begin(), access_token.end(), '.'), 1);
  auto at = OpaqueClaims(access_token);
  EXPECT_EQ(at["iss"], kIssuer);
  EXPECT_EQ(at["sub"], user_.user_id());
  EXPECT_EQ(at["aud"], nlohmann::json::array({std::string(kIssuer) + "userinfo"}));
  EXPECT_EQ(at["azp"], web_.client.client_id);
  EXPECT_EQ(at["exp"], env_.clock.NowSeconds() + 86400);
  EXPECT_TRUE(at.contains("gh_grant"));

  auto id = Claims(body["id_token"]);
  EXPECT_EQ(id["iss"], kIssuer);
  EXPECT_EQ(id["aud"], web_.client.client_id);
  EXPECT_EQ(id["nonce"], "n-0S6");
  EXPECT_EQ(id["sid"], "sess-1");
  EXPECT_EQ(id["auth_time"], env_.clock.NowSeconds() - 5);
  EXPECT_EQ(id["email"], "ada@example.com");
  EXPECT_EQ(id["email_verified"], true);
  EXPECT_EQ(id["name"], "Ada Lovelace");
  EXPECT_EQ(id["exp"], env_.clock.NowSeconds() + 36000);
  // at_hash: left half of SHA-256 of the access token.
  std::string digest =
      crypto::Digest(crypto::Hash::kSha256, body["access_token"].get<std::string>());
  EXPECT_EQ(id["at_hash"], Base64UrlEncode(digest.substr(0, 16)));

  auto info = Userinfo(body["access_token"]);
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(Body(info)["sub"], user_.user_id());
  EXPECT_EQ(Body(info)["email"], "ada@example.com");
}

// An API audience gets an RS256 JWT access token (whatever the ID token's alg)
// that names both the API and /userinfo, carries the rules' claims, and opens
// /userinfo too.
TEST_F(AuthorizationCodeGrantTest, ApiAudienceGetsAnRs256JwtAccessToken) {
  std::string code = Code(web_, "openid email", "", "", "https://api.example.com/");
  auto res = WebToken({{"grant_type", "authorization_code"},
                       {"code", code},
                       {"redirect_uri", "https://app.example.com/cb"}});
  ASSERT_EQ(res.status, 200) << res.body;
  std::string access_token = Body(res)["access_token"];
  EXPECT_FALSE(access_token.starts_with("gh1_"));
  auto header = Base64UrlDecode(access_token.substr(0, access_token.find('.')));
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(nlohmann::json::parse(*header)["alg"], "RS256");
  auto at = Claims(access_token);
  EXPECT_EQ(at["aud"],
            nlohmann::json::array({"https://api.example.com/", std::string(kIssuer) + "userinfo"}));
  EXPECT_TRUE(at.contains("jti"));
  auto info = Userinfo(access_token);
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(Body(info)["email"], "ada@example.com");
}

// The client's id_token_signed_response_alg picks the ID token key; the access
// token does not follow it.
TEST_F(AuthorizationCodeGrantTest, ClientChoosesIdTokenAlg) {
  Client spec;
  spec.name = "es256";
  spec.callbacks = {"https://es.example.com/cb"};
  spec.id_token_signed_response_alg = "ES256";
  CreatedClient es = env_.MakeClient(spec);
  auto stored = env_.clients->Get(es.client.client_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->id_token_signed_response_alg, "ES256");

  auto header_alg = [](const std::string& jwt) {
    auto decoded = Base64UrlDecode(jwt.substr(0, jwt.find('.')));
    return decoded ? nlohmann::json::parse(*decoded).value("alg", "") : std::string();
  };
  auto res = Token({{"grant_type", "authorization_code"},
                    {"code", Code(es, "openid")},
                    {"redirect_uri", "https://es.example.com/cb"}},
                   {Basic(es)});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(header_alg(Body(res)["id_token"]), "ES256");
  EXPECT_TRUE(Body(res)["access_token"].get<std::string>().starts_with("gh1_"));

  auto web = WebToken({{"grant_type", "authorization_code"},
                       {"code", Code(web_, "openid")},
                       {"redirect_uri", "https://app.example.com/cb"}});
  ASSERT_EQ(web.status, 200) << web.body;
  EXPECT_EQ(header_alg(Body(web)["id_token"]), "RS256");
}

TEST_F(AuthorizationCodeGrantTest, NoOpenidNoIdToken) {
  auto res = WebToken({{"grant_type", "authorization_code"},
                       {"code", Code(web_, "")},
                       {"redirect_uri", "https://app.example.com/cb"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(Body(res).contains("id_token"));
  EXPECT_FALSE(Body(res).contains("refresh_token"));
}

TEST_F(AuthorizationCodeGrantTest, ReuseIsInvalidGrantAndRevokesFirstTokens) {
  std::string code = Code(web_, "openid offline_access");
  const Pairs form = {{"grant_type", "authorization_code"},
                      {"code", code},
                      {"redirect_uri", "https://app.example.com/cb"}};
  auto first = WebToken(form);
  ASSERT_EQ(first.status, 200);
  std::string access = Body(first)["access_token"];
  std::string refresh = Body(first)["refresh_token"];
  ASSERT_EQ(Userinfo(access).status, 200);

  auto second = WebToken(form);
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(Error(second), "invalid_grant");
  EXPECT_EQ(second.GetHeader("Cache-Control"), "no-store");

  auto info = Userinfo(access);
  EXPECT_EQ(info.status, 401);
  EXPECT_NE(info.GetHeader("WWW-Authenticate").find("invalid_token"), std::string::npos);
  auto refreshed = WebToken({{"grant_type", "refresh_token"}, {"refresh_token", refresh}});
  EXPECT_EQ(refreshed.status, 400);
  EXPECT_EQ(Error(refreshed), "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, ExpiresAfterSixtySeconds) {
  std::string code = Code(web_, "openid");
  env_.clock.Advance(std::chrono::seconds(60));
  auto res = WebToken({{"grant_type", "authorization_code"},
                       {"code", code},
                       {"redirect_uri", "https://app.example.com/cb"}});
  EXPECT_EQ(Error(res), "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, CodeBoundToClientAndRedirectUri) {
  Client other_spec;
  other_spec.name = "other";
  other_spec.callbacks = {"https://app.example.com/cb"};
  auto other = env_.MakeClient(other_spec);
  std::string code = Code(web_, "openid");
  auto stolen = Token({{"grant_type", "authorization_code"},
                       {"code", code},
                       {"redirect_uri", "https://app.example.com/cb"}},
                      {Basic(other)});
  EXPECT_EQ(Error(stolen), "invalid_grant");

  for (const char* uri : {"https://app.example.com/cb/", "https://app.example.com/other", ""}) {
    Pairs form = {{"grant_type", "authorization_code"}, {"code", code}};
    if (*uri) form.emplace_back("redirect_uri", uri);
    auto res = WebToken(form);
    EXPECT_EQ(Error(res), "invalid_grant") << uri;
  }
  // None of the failures consumed the code.
  auto ok = WebToken({{"grant_type", "authorization_code"},
                      {"code", code},
                      {"redirect_uri", "https://app.example.com/cb"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(AuthorizationCodeGrantTest, Pkce) {
  const std::string verifier(64, 'v');
  std::string code = Code(spa_, "openid", Challenge(verifier));
  auto exchange = [&](std::optional<std::string> v) {
    Pairs form = {{"grant_type", "authorization_code"},
                  {"client_id", spa_.client.client_id},
                  {"code", code},
                  {"redirect_uri", "https://spa.example.com/cb"}};
    if (v) form.emplace_back("code_verifier", *v);
    return Token(form);
  };
  EXPECT_EQ(Error(exchange(std::nullopt)), "invalid_grant");          // missing
  EXPECT_EQ(Error(exchange(std::string(64, 'w'))), "invalid_grant");  // wrong
  EXPECT_EQ(Error(exchange(Challenge(verifier))), "invalid_grant");   // the challenge itself
  EXPECT_EQ(Error(exchange(std::string(42, 'v'))), "invalid_grant");  // too short
  auto ok = exchange(verifier);
  EXPECT_EQ(ok.status, 200) << ok.body;

  // "plain": a challenge equal to the verifier never verifies as S256.
  std::string plain_code = Code(spa_, "openid", verifier);
  auto plain = Token({{"grant_type", "authorization_code"},
                      {"client_id", spa_.client.client_id},
                      {"code", plain_code},
                      {"redirect_uri", "https://spa.example.com/cb"},
                      {"code_verifier", verifier}});
  EXPECT_EQ(Error(plain), "invalid_grant");

  // A verifier without a challenge is refused too (downgrade).
  std::string no_pkce = Code(web_, "openid");
  auto downgrade = WebToken({{"grant_type", "authorization_code"},
                             {"code", no_pkce},
                             {"redirect_uri", "https://app.example.com/cb"},
                             {"code_verifier", verifier}});
  EXPECT_EQ(Error(downgrade), "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, RequestShapeErrors) {
  EXPECT_EQ(Error(WebToken({{"grant_type", "authorization_code"}})), "invalid_request");
  auto dup = WebToken({{"grant_type", "authorization_code"}, {"code", "a"}, {"code", "b"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(Error(dup), "invalid_request");
  EXPECT_EQ(Error(WebToken({{"grant_type", "implicit"}})), "unsupported_grant_type");
  EXPECT_EQ(Error(WebToken({})), "invalid_request");
  auto text = Call("POST", "/oauth/token", "grant_type=authorization_code",
                   {{"Content-Type", "text/plain"}, Basic(web_)});
  EXPECT_EQ(Error(text), "invalid_request");
}

TEST_F(AuthorizationCodeGrantTest, AcceptsJsonBodies) {
  nlohmann::json body = {{"grant_type", "authorization_code"},
                         {"client_id", web_.client.client_id},
                         {"code", Code(web_, "openid")},
                         {"redirect_uri", "https://app.example.com/cb"}};
  auto res = Call("POST", "/oauth/token", body.dump(),
                  {{"Content-Type", "application/json"}, Basic(web_)});
  EXPECT_EQ(res.status, 200) << res.body;
}

}  // namespace
}  // namespace gatehouse::oauth
