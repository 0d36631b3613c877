// A redirect and a GET resume: extra query parameters reach
// context.request.query, original_protocol is set, first-pass claims are gone.

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

TEST_F(RedirectTest, RedirectThenGetResumeIssuesCodeWithSecondPassClaims) {
  h_.SetRules({kRedirectOnce});
  Browser browser;
  std::string state = LoginToRedirect(browser);
  ASSERT_GE(state.size(), 43u);  // 256 bits, base64url
  EXPECT_TRUE(HasEvent("gh_redirect"));

  http::Response res = h_.Get("/continue?state=" + state + "&color=blue&n=2", &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  EXPECT_THAT(res.GetHeader("Location"), ::testing::StartsWith(std::string(kCallback) + "?code="));
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "state"), "st-123");
  EXPECT_TRUE(HasEvent("gh_resume"));

  nlohmann::json id = IdTokenOf(res);
  ASSERT_TRUE(id.is_object());
  EXPECT_FALSE(id.contains("https://example.org/pass1")) << id.dump();
  const auto& pass2 = id["https://example.org/pass2"];
  EXPECT_EQ(pass2["original_protocol"], "oidc-basic-profile");
  EXPECT_EQ(pass2["query"]["color"], "blue");
  EXPECT_EQ(pass2["query"]["n"], "2");
  EXPECT_EQ(pass2["body"], nlohmann::json::object());
  EXPECT_EQ(id["nonce"], "n-456");
}

}  // namespace
}  // namespace gatehouse::flow::testing
