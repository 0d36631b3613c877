// /oauth/token with grant_type=password (per-client opt-in).

#include "oauth/oauth_server_fixture.h"

namespace gatehouse::oauth {
namespace {

class PasswordGrantTest : public testing::OAuthServerTest {
 protected:
  void SetUp() override {
    OAuthServerTest::SetUp();
    Client spec;
    spec.name = "legacy";
    spec.grant_types = {"password", "refresh_token"};
    legacy_ = env_.MakeClient(spec);
  }
  http::Response Login(const std::string& user, const std::string& password,
                       const std::string& scope = "openid email offline_access") {
    return Token(
        {{"grant_type", "password"}, {"username", user}, {"password", password}, {"scope", scope}},
        {Basic(legacy_)});
  }
  CreatedClient legacy_;
};

TEST_F(PasswordGrantTest, IssuesTokensAndRunsPipeline) {
  auto res = Login("ada@example.com", "correct horse battery");
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = Body(res);
  EXPECT_TRUE(body.contains("refresh_token"));
  EXPECT_EQ(Claims(body["id_token"])["email"], "ada@example.com");
  ASSERT_EQ(pipeline_.seen.size(), 1u);
  EXPECT_EQ(pipeline_.seen[0].protocol, "oauth2-password");
  EXPECT_EQ(pipeline_.seen[0].ip, "203.0.113.7");
  EXPECT_EQ(Userinfo(body["access_token"]).status, 200);
}

TEST_F(PasswordGrantTest, WrongPasswordAndUnknownUserAnswerAlike) {
  auto wrong = Login("ada@example.com", "wrong password!");
  auto unknown = Login("nobody@example.com", "wrong password!");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.status, unknown.status);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(Error(wrong), "invalid_grant");
  EXPECT_EQ(Body(wrong)["error_description"], "Wrong email or password.");
}

TEST_F(PasswordGrantTest, EleventhAttemptIsBlocked) {
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(Error(Login("ada@example.com", "nope nope")), "invalid_grant");
  auto blocked = Login("ada@example.com", "correct horse battery");
  EXPECT_EQ(blocked.status, 400);
  EXPECT_EQ(Error(blocked), "invalid_grant");
  EXPECT_NE(Body(blocked)["error_description"], "Wrong email or password.");
}

TEST_F(PasswordGrantTest, PipelineOutcomes) {
  pipeline_.next.kind = LoginOutcome::Kind::kInteractionRequired;
  auto r = Login("ada@example.com", "correct horse battery");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Error(r), "interaction_required");
  EXPECT_FALSE(Body(r).contains("access_token"));

  pipeline_.next.kind = LoginOutcome::Kind::kDeny;
  pipeline_.next.error_description = "denied by rule";
  r = Login("ada@example.com", "correct horse battery");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Error(r), "unauthorized");

  pipeline_.next = LoginOutcome{};
  pipeline_.next.id_token_claims = {{"https://example.com/role", "admin"}, {"iss", "evil"}};
  pipeline_.next.scope = "openid";
  r = Login("ada@example.com", "correct horse battery");
  ASSERT_EQ(r.status, 200) << r.body;
  auto id = Claims(Body(r)["id_token"]);
  EXPECT_EQ(id["https://example.com/role"], "admin");
  EXPECT_EQ(id["iss"], testing::kIssuer);
  EXPECT_EQ(Body(r)["scope"], "openid");  // narrowed by the pipeline
  EXPECT_FALSE(Body(r).contains("refresh_token"));
}

TEST_F(PasswordGrantTest, MissingFields) {
  auto r = Token({{"grant_type", "password"}, {"username", "ada@example.com"}}, {Basic(legacy_)});
  EXPECT_EQ(Error(r), "invalid_request");
}

}  // namespace
}  // namespace gatehouse::oauth
