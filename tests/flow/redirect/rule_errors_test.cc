// UnauthorizedError in the first and in the second pass; a rule that
// redirects on every login (no redirect-callback check) completes after one
// redirect; prompt=none with a redirect is interaction_required.

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

TEST_F(RedirectTest, UnauthorizedInFirstPass) {
  h_.SetRules(
      {"function (user, context, callback) { callback(new UnauthorizedError('no entry')); }"});
  Browser browser;
  http::Response res = Login(browser);
  std::string location = res.GetHeader("Location");
  EXPECT_EQ(UrlParam(location, "error"), "unauthorized");
  EXPECT_EQ(UrlParam(location, "error_description"), "no entry");
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
}

TEST_F(RedirectTest, UnauthorizedInSecondPass) {
  h_.SetRules({R"JS(function (user, context, callback) {
    if (context.protocol === 'redirect-callback') return callback(new UnauthorizedError('denied later'));
    context.redirect = { url: 'https://profile.example.org/x' };
    callback(null, user, context);
  })JS"});
  Browser browser;
  http::Response first = Login(browser);
  std::string state = UrlParam(first.GetHeader("Location"), "state");
  ASSERT_FALSE(state.empty()) << first.GetHeader("Location");
  http::Response res = h_.Get("/continue?state=" + state, &browser);
  std::string location = res.GetHeader("Location");
  EXPECT_EQ(UrlParam(location, "error"), "unauthorized");
  EXPECT_EQ(UrlParam(location, "error_description"), "denied later");
  EXPECT_TRUE(UrlParam(location, "code").empty());
}

TEST_F(RedirectTest, RuleThatRedirectsEveryTimeCompletesAfterOneRedirect) {
  h_.SetRules({R"JS(function (user, context, callback) {
    context.redirect = { url: 'https://profile.example.org/loop' };
    callback(null, user, context);
  })JS"});
  Browser browser;
  http::Response first = Login(browser);
  std::string state = UrlParam(first.GetHeader("Location"), "state");
  ASSERT_FALSE(state.empty());
  http::Response res = h_.Get("/continue?state=" + state, &browser);
  EXPECT_FALSE(UrlParam(res.GetHeader("Location"), "code").empty()) << res.GetHeader("Location");
  bool warned = false;
  for (const auto& e : h_.Events()) {
    if (e.type == "gh_rule_console" && e.description.find("ignored") != std::string::npos)
      warned = true;
  }
  EXPECT_TRUE(warned);
}

TEST_F(RedirectTest, PromptNoneWithRedirectIsInteractionRequired) {
  Browser browser;
  ASSERT_EQ(Login(browser).status, 302);  // no rules yet: SSO session established
  h_.SetRules({kRedirectOnce});
  http::Response res = h_.Get(h_.AuthorizeTarget("&prompt=none"), &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  std::string location = res.GetHeader("Location");
  EXPECT_THAT(location, ::testing::StartsWith(kCallback));
  EXPECT_EQ(UrlParam(location, "error"), "interaction_required");
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
}

}  // namespace
}  // namespace gatehouse::flow::testing
