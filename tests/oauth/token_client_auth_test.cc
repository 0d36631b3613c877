// Client authentication failures at /oauth/token (RFC 6749 §2.3, §5.2).

#include "oauth/oauth_server_fixture.h"

namespace gatehouse::oauth {
namespace {

class TokenClientAuthTest : public testing::OAuthServerTest {
 protected:
  Pairs CodeForm(const CreatedClient& c) {
    return {{"grant_type", "authorization_code"},
            {"code", Code(c, "openid")},
            {"redirect_uri", c.client.callbacks.front()}};
  }
  void ExpectInvalidClient(const http::Response& res) {
    EXPECT_EQ(res.status, 401) << res.body;
    EXPECT_EQ(Error(res), "invalid_client");
    EXPECT_NE(res.GetHeader("WWW-Authenticate").find("Basic"), std::string::npos);
    EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store");
  }
};

TEST_F(TokenClientAuthTest, Failures) {
  const std::string id = web_.client.client_id;
  auto basic = [](const std::string& i, const std::string& s) {
    return std::make_pair(std::string("Authorization"), "Basic " + Base64Encode(i + ":" + s));
  };
  ExpectInvalidClient(Token(CodeForm(web_), {basic(id, "wrong")}));     // wrong secret
  ExpectInvalidClient(Token(CodeForm(web_), {basic("unknown", "x")}));  // unknown (basic)
  auto post = CodeForm(web_);
  post.emplace_back("client_id", id);
  post.emplace_back("client_secret", web_.client_secret + "x");
  ExpectInvalidClient(Token(post));  // wrong secret (post; either secret method is accepted)
  auto id_only = CodeForm(web_);
  id_only.emplace_back("client_id", id);
  ExpectInvalidClient(Token(id_only));  // confidential client without its secret
  auto unknown_post = CodeForm(web_);
  unknown_post.emplace_back("client_id", "unknown");
  unknown_post.emplace_back("client_secret", "x");
  ExpectInvalidClient(Token(unknown_post));    // unknown (post)
  ExpectInvalidClient(Token(CodeForm(web_)));  // nothing at all
  auto both = CodeForm(web_);
  both.emplace_back("client_secret", web_.client_secret);
  ExpectInvalidClient(Token(both, {Basic(web_)}));  // two methods
  auto spa_secret = CodeForm(spa_);
  spa_secret.emplace_back("client_id", spa_.client.client_id);
  spa_secret.emplace_back("client_secret", "guess");
  ExpectInvalidClient(Token(spa_secret));  // public + secret
  auto dup_id = CodeForm(spa_);
  dup_id.emplace_back("client_id", spa_.client.client_id);
  dup_id.emplace_back("client_id", spa_.client.client_id);
  EXPECT_EQ(Error(Token(dup_id)), "invalid_request");
}

TEST_F(TokenClientAuthTest, ClientSecretPostWorksForPostClients) {
  Client spec;
  spec.name = "post";
  spec.token_endpoint_auth_method = "client_secret_post";
  spec.callbacks = {"https://post.example.com/cb"};
  auto c = env_.MakeClient(spec);
  auto form = CodeForm(c);
  form.emplace_back("client_id", c.client.client_id);
  form.emplace_back("client_secret", c.client_secret);
  EXPECT_EQ(Token(form).status, 200);
  form.back().second = "wrong";
  ExpectInvalidClient(Token(form));
}

TEST_F(TokenClientAuthTest, GrantNotAllowedForClient) {
  auto res = WebToken({{"grant_type", "password"},
                       {"username", "ada@example.com"},
                       {"password", "correct horse battery"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(Error(res), "unauthorized_client");
  auto cc = WebToken({{"grant_type", "client_credentials"}, {"audience", "x"}});
  EXPECT_EQ(Error(cc), "unauthorized_client");
}

}  // namespace
}  // namespace gatehouse::oauth
