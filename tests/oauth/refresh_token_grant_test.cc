// /oauth/token with grant_type=refresh_token: rotation, reuse, epochs, pipeline.

#include "oauth/oauth_server_fixture.h"

namespace gatehouse::oauth {
namespace {

class RefreshTokenGrantTest : public testing::OAuthServerTest {
 protected:
  nlohmann::json Login(const std::string& scope = "openid profile offline_access") {
    auto res = WebToken({{"grant_type", "authorization_code"},
                         {"code", Code(web_, scope)},
                         {"redirect_uri", "https://app.example.com/cb"}});
    EXPECT_EQ(res.status, 200) << res.body;
    return Body(res);
  }
  http::Response Refresh(const std::string& token, Pairs extra = {}) {
    Pairs form = {{"grant_type", "refresh_token"}, {"refresh_token", token}};
    for (auto& p : extra) form.push_back(p);
    return WebToken(form);
  }
};

TEST_F(RefreshTokenGrantTest, RotatesAndRunsThePipeline) {
  auto first = Login();
  auto res = Refresh(first["refresh_token"]);
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = Body(res);
  EXPECT_NE(body["refresh_token"], first["refresh_token"]);
  EXPECT_TRUE(body.contains("id_token"));
  EXPECT_EQ(Claims(body["id_token"])["name"], "Ada Lovelace");
  EXPECT_FALSE(Claims(body["id_token"]).contains("nonce"));
  ASSERT_EQ(pipeline_.seen.size(), 1u);
  EXPECT_EQ(pipeline_.seen[0].protocol, "oauth2-refresh-token");
  EXPECT_EQ(pipeline_.seen[0].client.client_id, web_.client.client_id);
  EXPECT_EQ(Userinfo(body["access_token"]).status, 200);
  // The new one works in turn.
  EXPECT_EQ(Refresh(body["refresh_token"]).status, 200);
}

TEST_F(RefreshTokenGrantTest, ReuseRevokesTheFamily) {
  auto first = Login();
  auto second = Body(Refresh(first["refresh_token"]));
  ASSERT_TRUE(second.contains("refresh_token"));
  auto reuse = Refresh(first["refresh_token"]);
  EXPECT_EQ(reuse.status, 400);
  EXPECT_EQ(Error(reuse), "invalid_grant");
  // The rotated (newest) token and the family's access tokens are dead too.
  EXPECT_EQ(Error(Refresh(second["refresh_token"])), "invalid_grant");
  EXPECT_EQ(Userinfo(second["access_token"]).status, 401);
  EXPECT_EQ(Userinfo(first["access_token"]).status, 401);
}

TEST_F(RefreshTokenGrantTest, ScopeMayOnlyNarrow) {
  auto first = Login();
  auto wider = Refresh(first["refresh_token"], {{"scope", "openid email"}});
  EXPECT_EQ(Error(wider), "invalid_scope");
  auto narrower = Refresh(first["refresh_token"], {{"scope", "openid"}});
  ASSERT_EQ(narrower.status, 200) << narrower.body;
  EXPECT_EQ(Body(narrower)["scope"], "openid");
}

TEST_F(RefreshTokenGrantTest, PasswordChangeKillsRefreshTokens) {
  auto first = Login();
  ASSERT_TRUE(users_->SetPassword(user_.user_id(), "a whole new password").ok());
  EXPECT_EQ(Error(Refresh(first["refresh_token"])), "invalid_grant");
}

TEST_F(RefreshTokenGrantTest, OtherClientAndUnknownTokens) {
  auto first = Login();
  Client spec;
  spec.name = "other";
  spec.callbacks = {"https://o.example.com/cb"};
  auto other = env_.MakeClient(spec);
  auto stolen = Token({{"grant_type", "refresh_token"}, {"refresh_token", first["refresh_token"]}},
                      {Basic(other)});
  EXPECT_EQ(Error(stolen), "invalid_grant");
  EXPECT_EQ(Error(Refresh("not-a-token")), "invalid_grant");
  EXPECT_EQ(Error(WebToken({{"grant_type", "refresh_token"}})), "invalid_request");
  // The legitimate client still can.
  EXPECT_EQ(Refresh(first["refresh_token"]).status, 200);
}

TEST_F(RefreshTokenGrantTest, IdleAndAbsoluteLifetimes) {
  auto first = Login();
  env_.clock.Advance(std::chrono::hours(24 * 15));
  EXPECT_EQ(Error(Refresh(first["refresh_token"])), "invalid_grant");  // idle

  auto second = Login();
  std::string rt = second["refresh_token"];
  for (int i = 0; i < 3; ++i) {  // 3 x 10 days keeps it active but crosses 30 days
    env_.clock.Advance(std::chrono::hours(24 * 10));
    auto r = Refresh(rt);
    if (i < 2) {
      ASSERT_EQ(r.status, 200) << r.body;
      rt = Body(r)["refresh_token"];
    } else {
      EXPECT_EQ(Error(r), "invalid_grant");
    }
  }
}

TEST_F(RefreshTokenGrantTest, PipelineRefusalsKeepTheTokenUsable) {
  auto first = Login();
  pipeline_.next.kind = LoginOutcome::Kind::kInteractionRequired;
  auto r = Refresh(first["refresh_token"]);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Error(r), "interaction_required");
  pipeline_.next.kind = LoginOutcome::Kind::kDeny;
  pipeline_.next.error_description = "no access today";
  r = Refresh(first["refresh_token"]);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Error(r), "unauthorized");
  EXPECT_EQ(Body(r)["error_description"], "no access today");
  pipeline_.next = LoginOutcome{};
  EXPECT_EQ(Refresh(first["refresh_token"]).status, 200);
}

}  // namespace
}  // namespace gatehouse::oauth
