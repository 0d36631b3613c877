// A POST resume: form fields reach context.request.body, the state may come
// in the body.

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

TEST_F(RedirectTest, PostResumeWithStateInBodyPassesFormFields) {
  h_.SetRules({kRedirectOnce});
  Browser browser;
  std::string state = LoginToRedirect(browser);
  http::Response res = h_.PostForm(
      "/continue", "given_name=Ann&family_name=Lee&state=" + http::UrlEncode(state), &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  nlohmann::json id = IdTokenOf(res);
  ASSERT_TRUE(id.is_object());
  const auto& body = id["https://example.org/pass2"]["body"];
  EXPECT_EQ(body["given_name"], "Ann");
  EXPECT_EQ(body["family_name"], "Lee");
}

TEST_F(RedirectTest, PostResumeWithStateInQuery) {
  h_.SetRules({kRedirectOnce});
  Browser browser;
  std::string state = LoginToRedirect(browser);
  http::Response res = h_.PostForm("/continue?state=" + state, "birthdate=1990-01-02", &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  nlohmann::json id = IdTokenOf(res);
  ASSERT_TRUE(id.is_object());
  EXPECT_EQ(id["https://example.org/pass2"]["body"]["birthdate"], "1990-01-02");
  EXPECT_EQ(id["https://example.org/pass2"]["query"]["state"], state);
}

}  // namespace
}  // namespace gatehouse::flow::testing
