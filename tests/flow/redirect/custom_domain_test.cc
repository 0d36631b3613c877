// A flow on a custom domain (SPEC §3.7): its tokens carry that domain's
// issuer, and its /continue state only works there.

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

TEST_F(RedirectTest, CustomDomainFlowResumesThereAndCarriesItsIssuer) {
  h_.SetRules({kRedirectOnce});
  h_.host = "login.custom.example";
  Browser browser;
  std::string state = LoginToRedirect(browser);

  h_.host = kHost;  // the primary domain does not know this state
  EXPECT_EQ(h_.Get("/continue?state=" + state, &browser).status, 400);

  h_.host = "login.custom.example";
  http::Response res = h_.Get("/continue?state=" + state, &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "iss"), "http://login.custom.example/");
  nlohmann::json id = IdTokenOf(res);
  ASSERT_TRUE(id.is_object());
  EXPECT_EQ(id["iss"], "http://login.custom.example/");
}

}  // namespace
}  // namespace gatehouse::flow::testing
