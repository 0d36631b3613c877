// The context rules see (SPEC §4.5) on the first pass and on resume.

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

constexpr const char* kCaptureContext = R"JS(function (user, context, callback) {
  if (context.protocol !== 'redirect-callback') {
    context.redirect = { url: 'https://profile.example.org/x' };
    context.idToken['https://example.org/first'] = 'discarded';
    return callback(null, user, context);
  }
  const c = Object.assign({}, context);
  delete c.idToken; delete c.accessToken;
  context.idToken['https://example.org/context'] = c;
  context.idToken['https://example.org/first_seen'] = context.idToken['https://example.org/first'] || null;
  callback(null, user, context);
})JS";

TEST_F(RedirectTest, SecondPassContextHasTheSpecShape) {
  h_.SetRules({kCaptureContext});
  Browser browser;
  std::string state = UrlParam(Login(browser).GetHeader("Location"), "state");
  ASSERT_FALSE(state.empty());
  http::Response res = h_.Get("/continue?state=" + state + "&a=1", &browser);
  nlohmann::json id = IdTokenOf(res);
  ASSERT_TRUE(id.is_object());
  EXPECT_TRUE(id["https://example.org/first_seen"].is_null());
  const auto& c = id["https://example.org/context"];
  EXPECT_EQ(c["tenant"], "default");
  EXPECT_EQ(c["clientID"], h_.client.client_id);
  EXPECT_EQ(c["clientName"], "Test SPA");
  EXPECT_TRUE(c["clientMetadata"].is_object());
  EXPECT_EQ(c["connection"], "Username-Password-Authentication");
  EXPECT_FALSE(c.value("connectionID", "").empty());
  EXPECT_EQ(c["connectionStrategy"], "auth0");
  EXPECT_EQ(c["protocol"], "redirect-callback");
  EXPECT_EQ(c["original_protocol"], "oidc-basic-profile");
  EXPECT_EQ(c["stats"]["loginsCount"], 1);
  EXPECT_TRUE(c["sso"].is_object());
  EXPECT_FALSE(c.value("sessionID", "").empty());
  EXPECT_EQ(c["request"]["ip"], "203.0.113.7");
  EXPECT_EQ(c["request"]["userAgent"], "flow-test");
  EXPECT_EQ(c["request"]["hostname"], kHost);
  EXPECT_EQ(c["request"]["query"]["a"], "1");
  EXPECT_EQ(c["authentication"]["methods"][0]["name"], "pwd");
  EXPECT_TRUE(c["authentication"]["methods"][0]["timestamp"].is_number());
  EXPECT_TRUE(c["authorization"]["roles"].is_array());
  EXPECT_FALSE(c.contains("redirect"));
}

}  // namespace
}  // namespace gatehouse::flow::testing
