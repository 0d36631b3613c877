// Redirects on the password and refresh grants (SPEC §3.4): 400
// interaction_required and no token.

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

constexpr const char* kAlwaysRedirect = R"JS(function (user, context, callback) {
  context.redirect = { url: 'https://profile.example.org/x' };
  callback(null, user, context);
})JS";

class BackChannelTest : public RedirectTest {
 protected:
  void SetUp() override {
    RedirectTest::SetUp();
    oauth::Client spec;
    spec.name = "legacy";
    spec.app_type = "regular_web";
    spec.token_endpoint_auth_method = "client_secret_post";
    spec.grant_types = {"password", "refresh_token"};
    auto created = h_.clients->Create(spec);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    legacy_ = std::move(created).value();
  }

  http::Response Token(const std::string& form) {
    return h_.PostForm("/oauth/token",
                       form + "&client_id=" + http::UrlEncode(legacy_.client.client_id) +
                           "&client_secret=" + http::UrlEncode(legacy_.client_secret),
                       nullptr);
  }
  http::Response PasswordGrant() {
    return Token("grant_type=password&username=ann%40example.com&password=" +
                 http::UrlEncode(kPassword) + "&scope=openid%20offline_access");
  }

  oauth::CreatedClient legacy_;
};

TEST_F(BackChannelTest, PasswordGrantRedirectIsInteractionRequired) {
  h_.SetRules({kAlwaysRedirect});
  http::Response res = PasswordGrant();
  EXPECT_EQ(res.status, 400) << res.body;
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  EXPECT_EQ(body.value("error", ""), "interaction_required") << res.body;
  EXPECT_FALSE(body.contains("access_token"));
}

TEST_F(BackChannelTest, RefreshGrantRedirectIsInteractionRequired) {
  http::Response first = PasswordGrant();
  ASSERT_EQ(first.status, 200) << first.body;
  std::string refresh =
      nlohmann::json::parse(first.body, nullptr, false).value("refresh_token", "");
  ASSERT_FALSE(refresh.empty()) << first.body;
  h_.SetRules({kAlwaysRedirect});
  http::Response res = Token("grant_type=refresh_token&refresh_token=" + http::UrlEncode(refresh));
  EXPECT_EQ(res.status, 400) << res.body;
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  EXPECT_EQ(body.value("error", ""), "interaction_required") << res.body;
  EXPECT_FALSE(body.contains("access_token"));
}

TEST_F(BackChannelTest, PasswordGrantSeesItsProtocolAndUnauthorizedIs403) {
  h_.SetRules({R"JS(function (user, context, callback) {
    if (context.protocol !== 'oauth2-password') return callback(null, user, context);
    callback(new UnauthorizedError('not via password'));
  })JS"});
  http::Response res = PasswordGrant();
  EXPECT_EQ(res.status, 403) << res.body;
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  EXPECT_EQ(body.value("error", ""), "unauthorized") << res.body;
  EXPECT_EQ(body.value("error_description", ""), "not via password");
}

}  // namespace
}  // namespace gatehouse::flow::testing
