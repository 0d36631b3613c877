// Actions in the login pipeline (issue 11): rules first, then the bound
// actions; a rule redirect re-runs the rules at /continue, an action redirect
// resumes in that action's onContinuePostLogin. Over SQLite, the real engine
// and the record-based action repo.

#include "flow/redirect/redirect_fixture.h"
#include "storage/record_action_repo.h"

namespace gatehouse::flow::testing {
namespace {

using nlohmann::json;

// Redirects on the first pass with a claim; on the second pass sets another.
constexpr const char* kRuleRedirect = R"JS(
function ruleRedirect(user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.org/rule1'] = context.request.query.from;
  } else {
    context.redirect = { url: 'https://profile.example.org/update' };
  }
  callback(null, user, context);
})JS";

constexpr const char* kRuleClaim = R"JS(
function ruleClaim(user, context, callback) {
  context.idToken['https://example.org/rule2'] = context.protocol;
  callback(null, user, context);
})JS";

// Redirects with a token bound to the state; validates what comes back.
constexpr const char* kActionRedirect = R"JS(
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.org/action1_before', true);
  api.user.setUserMetadata('color', 'blue');
  api.user.setUserMetadata('old', null);
  const token = api.redirect.encodeToken({secret: event.secrets.SECRET, payload: {step: 'mfa'}});
  api.redirect.sendUserTo('https://mfa.example.org/check', {query: {session_token: token}});
};
exports.onContinuePostLogin = async (event, api) => {
  const payload = api.redirect.validateToken({secret: event.secrets.SECRET});
  api.idToken.setCustomClaim('https://example.org/action1', payload.step);
  api.authentication.recordMethod('https://mfa.example.org');
};)JS";

constexpr const char* kActionClaim = R"JS(
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.org/action2', {
    protocol: event.transaction.protocol, color: event.user.user_metadata.color || null,
    methods: event.authentication.methods.map(m => m.name)});
  api.accessToken.removeScope('email');
};)JS";

class ActionsFlowTest : public RedirectTest {
 protected:
  void SetUp() override {
    RedirectTest::SetUp();
    repo_ = storage::CreateRecordActionRepo(h_.storage->records(), h_.clock);
  }

  // Creates, deploys and binds actions in order.
  void Bind(const std::vector<std::pair<std::string, std::string>>& actions) {
    std::vector<std::string> ids;
    for (const auto& [name, code] : actions) {
      storage::ActionRecord a;
      a.name = name;
      a.code = code;
      a.deployed_code = code;
      a.secrets = a.deployed_secrets = {{"SECRET", "mfa-secret"}};
      a.deployed_version = 1;
      auto created = repo_->Create(a);
      ASSERT_TRUE(created.ok()) << created.status().ToString();
      ids.push_back(created->id);
    }
    ASSERT_TRUE(repo_->SetBindings("post-login", ids).ok());
  }

  void SetUserMetadata(const json& metadata) {
    auto updated = h_.users->UpdateMetadata(h_.user_id, metadata, nullptr);
    ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  }

  // Follows an action redirect: the Location's session_token and state.
  struct Away {
    std::string token, state;
  };
  Away AwayFrom(const http::Response& res) {
    EXPECT_EQ(res.status, 302) << res.body;
    std::string location = res.GetHeader("Location");
    EXPECT_THAT(location, ::testing::StartsWith("https://mfa.example.org/check?session_token="));
    return {UrlParam(location, "session_token"), UrlParam(location, "state")};
  }

  std::unique_ptr<storage::ActionRepo> repo_;
};

TEST_F(ActionsFlowTest, TwoRulesTwoActionsOneRuleRedirectOneActionRedirect) {
  SetUserMetadata({{"old", 1}, {"keep", 2}});
  h_.SetRules({kRuleRedirect, kRuleClaim});
  Bind({{"mfa", kActionRedirect}, {"claims", kActionClaim}});
  Browser browser;

  http::Response first = Login(browser);
  ASSERT_EQ(first.status, 302) << first.body;
  std::string location = first.GetHeader("Location");
  ASSERT_THAT(location, ::testing::StartsWith("https://profile.example.org/update?state="));
  std::string rule_state = UrlParam(location, "state");

  // The rules run again; then the first action redirects.
  http::Response second = h_.Get("/continue?state=" + rule_state + "&from=profile", &browser);
  Away away = AwayFrom(second);
  ASSERT_FALSE(away.state.empty());
  EXPECT_NE(away.state, rule_state);
  EXPECT_EQ(JwtPayload(away.token)["state"], away.state);  // encodeToken bound it

  http::Response done =
      h_.Get("/continue?state=" + away.state + "&session_token=" + away.token, &browser);
  ASSERT_EQ(done.status, 302) << done.body;
  json id = IdTokenOf(done);
  ASSERT_TRUE(id.is_object());
  EXPECT_EQ(id["https://example.org/rule1"], "profile");
  EXPECT_EQ(id["https://example.org/rule2"], "redirect-callback");
  EXPECT_EQ(id["https://example.org/action1_before"], true);
  EXPECT_EQ(id["https://example.org/action1"], "mfa");
  EXPECT_EQ(id["https://example.org/action2"]["color"], "blue");
  EXPECT_EQ(id["https://example.org/action2"]["methods"],
            json::array({"pwd", "https://mfa.example.org"}));

  // Metadata written once at the end, with Management-API merge (null deletes).
  auto user = h_.users->Get(h_.user_id);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->ToJson()["user_metadata"], (json{{"keep", 2}, {"color", "blue"}}));
}

TEST_F(ActionsFlowTest, ActionRedirectFromTheFirstPassKeepsRuleClaimsAndNarrowsScope) {
  h_.SetRules({kRuleClaim});
  Bind({{"mfa", kActionRedirect}, {"claims", kActionClaim}});
  Browser browser;
  Away away = AwayFrom(Login(browser));
  http::Response done =
      h_.PostForm("/continue", "state=" + away.state + "&session_token=" + away.token, &browser);
  ASSERT_EQ(done.status, 302) << done.body;
  std::string code = UrlParam(done.GetHeader("Location"), "code");
  json tokens = Exchange(code);
  json id = JwtPayload(tokens.value("id_token", ""));
  EXPECT_EQ(id["https://example.org/rule2"], "oidc-basic-profile");  // kept across the pause
  EXPECT_EQ(id["https://example.org/action1"], "mfa");
  EXPECT_EQ(id["https://example.org/action2"]["protocol"], "redirect-callback");
  EXPECT_THAT(tokens.value("scope", ""), ::testing::Not(::testing::HasSubstr("email")));
}

TEST_F(ActionsFlowTest, TokenOfAnotherLoginIsRefused) {
  Bind({{"mfa", kActionRedirect}});
  Browser alice, mallory;
  Away a = AwayFrom(Login(alice));
  Away m = AwayFrom(Login(mallory));
  // Alice's state with a token bound to Mallory's login: validateToken refuses.
  http::Response res = h_.Get("/continue?state=" + a.state + "&session_token=" + m.token, &alice);
  ASSERT_EQ(res.status, 302) << res.body;
  std::string location = res.GetHeader("Location");
  EXPECT_EQ(UrlParam(location, "error"), "access_denied") << location;
  EXPECT_THAT(UrlParam(location, "error_description"), ::testing::HasSubstr("state"));
  EXPECT_TRUE(UrlParam(location, "code").empty());
}

TEST_F(ActionsFlowTest, ActionPauseIsSingleUseAndBoundToTheBrowser) {
  Bind({{"mfa", kActionRedirect}});
  Browser browser, other;
  Away away = AwayFrom(Login(browser));
  std::string target = "/continue?state=" + away.state + "&session_token=" + away.token;
  http::Response stolen = h_.Get(target, &other);
  EXPECT_EQ(stolen.status, 400);  // not consumed
  http::Response ok = h_.Get(target, &browser);
  ASSERT_EQ(ok.status, 302);
  EXPECT_FALSE(UrlParam(ok.GetHeader("Location"), "code").empty()) << ok.GetHeader("Location");
  http::Response again = h_.Get(target, &browser);
  ASSERT_EQ(again.status, 302);
  EXPECT_EQ(UrlParam(again.GetHeader("Location"), "error"), "invalid_request");
}

TEST_F(ActionsFlowTest, PromptNoneCannotBeRedirectedByAnAction) {
  Bind({{"mfa", kActionRedirect}});
  Browser browser;
  Away away = AwayFrom(Login(browser));
  (void)away;
  // SSO session exists now; a silent login reaches the action, which redirects.
  http::Response res = h_.Get(h_.AuthorizeTarget("&prompt=none"), &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "error"), "interaction_required");
}

TEST_F(ActionsFlowTest, DenyReachesTheClientAndNothingIsWritten) {
  SetUserMetadata({{"keep", 1}});
  Bind({{"deny", R"JS(exports.onExecutePostLogin = async (event, api) => {
          api.user.setUserMetadata('keep', null); api.access.deny('Not today'); };)JS"}});
  Browser browser;
  http::Response res = Login(browser);
  ASSERT_EQ(res.status, 302) << res.body;
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "error"), "access_denied");
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "error_description"), "Not today");
  EXPECT_EQ(h_.users->Get(h_.user_id)->ToJson()["user_metadata"], (json{{"keep", 1}}));
}

TEST_F(ActionsFlowTest, UndeployedAndUnboundActionsDoNotRun) {
  storage::ActionRecord draft;
  draft.name = "draft";
  draft.code = "exports.onExecutePostLogin = async (e, api) => api.access.deny('draft ran');";
  auto created = repo_->Create(draft);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(repo_->SetBindings("post-login", {created->id}).ok());
  Browser browser;
  http::Response res = Login(browser);
  ASSERT_EQ(res.status, 302) << res.body;
  EXPECT_FALSE(UrlParam(res.GetHeader("Location"), "code").empty()) << res.GetHeader("Location");
}

}  // namespace
}  // namespace gatehouse::flow::testing
