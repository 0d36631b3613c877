// /oauth/token with grant_type=client_credentials.

#include "oauth/oauth_server_fixture.h"

namespace gatehouse::oauth {
namespace {

using testing::kIssuer;

class ClientCredentialsGrantTest : public testing::OAuthServerTest {
 protected:
  void SetUp() override {
    OAuthServerTest::SetUp();
    Client spec;
    spec.name = "m2m";
    spec.app_type = "non_interactive";
    spec.grant_types = {"client_credentials"};
    spec.management_scopes = {"read:users", "update:users", "read:clients"};
    m2m_ = env_.MakeClient(spec);
  }
  http::Response M2m(Pairs form) {
    form.emplace_back("grant_type", "client_credentials");
    return Token(form, {Basic(m2m_)});
  }
  const std::string management_ = std::string(kIssuer) + "api/v2/";
  CreatedClient m2m_;
};

TEST_F(ClientCredentialsGrantTest, ManagementApiToken) {
  auto res = M2m({{"audience", management_}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = Body(res);
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_FALSE(body.contains("refresh_token"));
  auto at = Claims(body["access_token"]);
  EXPECT_EQ(at["sub"], m2m_.client.client_id + "@clients");
  EXPECT_EQ(at["aud"], nlohmann::json::array({management_}));
  EXPECT_EQ(at["gty"], "client-credentials");
  EXPECT_EQ(at["scope"], "read:users update:users read:clients");
  EXPECT_FALSE(at.contains("gh_grant"));
  // A machine token is not a user token.
  EXPECT_EQ(Userinfo(body["access_token"]).status, 401);
}

TEST_F(ClientCredentialsGrantTest, RequestedScopesAreIntersected) {
  auto res = M2m({{"audience", management_}, {"scope", "read:users delete:users"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Claims(Body(res)["access_token"])["scope"], "read:users");
  EXPECT_EQ(Error(M2m({{"audience", management_}, {"scope", "delete:users"}})), "invalid_scope");
}

TEST_F(ClientCredentialsGrantTest, AudienceRules) {
  EXPECT_EQ(Error(M2m({})), "invalid_request");
  auto unknown = M2m({{"audience", "https://api.example.com/"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Body(unknown)["error_description"], "unknown audience");

  Client spec;
  spec.name = "m2m-default";
  spec.app_type = "non_interactive";
  spec.grant_types = {"client_credentials"};
  spec.management_scopes = {"read:users"};
  spec.default_audience = management_;
  auto c = env_.MakeClient(spec);
  EXPECT_EQ(Token({{"grant_type", "client_credentials"}}, {Basic(c)}).status, 200);

  spec.name = "m2m-no-scopes";
  spec.management_scopes.clear();
  auto none = env_.MakeClient(spec);
  auto denied = Token({{"grant_type", "client_credentials"}}, {Basic(none)});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(Error(denied), "access_denied");
}

}  // namespace
}  // namespace gatehouse::oauth
