// The second pass sees the user snapshot from the redirect, or the stored
// user when reload_user_on_resume is on (SPEC §3.2).

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

constexpr const char* kShowMetadata = R"JS(function (user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.org/color'] = (user.user_metadata || {}).color || null;
    return callback(null, user, context);
  }
  context.redirect = { url: 'https://profile.example.org/x' };
  callback(null, user, context);
})JS";

TEST_F(RedirectTest, SecondPassSeesTheSnapshot) {
  h_.SetRules({kShowMetadata});
  Browser browser;
  std::string state = UrlParam(Login(browser).GetHeader("Location"), "state");
  ASSERT_TRUE(h_.users->UpdateMetadata(h_.user_id, {{"color", "green"}}, nullptr).ok());
  http::Response res = h_.Get("/continue?state=" + state, &browser);
  nlohmann::json id = IdTokenOf(res);
  ASSERT_TRUE(id.is_object());
  EXPECT_TRUE(id["https://example.org/color"].is_null()) << id.dump();
}

class ReloadUserTest : public RedirectTest {
 protected:
  ReloadUserTest() : RedirectTest(FlowOptions{.reload_user_on_resume = true}) {}
};

TEST_F(ReloadUserTest, SecondPassSeesTheStoredUser) {
  h_.SetRules({kShowMetadata});
  Browser browser;
  std::string state = UrlParam(Login(browser).GetHeader("Location"), "state");
  ASSERT_TRUE(h_.users->UpdateMetadata(h_.user_id, {{"color", "green"}}, nullptr).ok());
  http::Response res = h_.Get("/continue?state=" + state, &browser);
  nlohmann::json id = IdTokenOf(res);
  ASSERT_TRUE(id.is_object());
  EXPECT_EQ(id["https://example.org/color"], "green") << id.dump();
}

}  // namespace
}  // namespace gatehouse::flow::testing
