// A rule redirecting to a URL SPEC §3.1 forbids ends the login with server_error.

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

class InvalidRedirectUrlTest : public RedirectTest,
                               public ::testing::WithParamInterface<const char*> {};

TEST_P(InvalidRedirectUrlTest, EndsWithServerError) {
  nlohmann::json url = GetParam();
  h_.SetRules({"function (user, context, callback) { context.redirect = { url: " + url.dump() +
               " }; callback(null, user, context); }"});
  Browser browser;
  http::Response res = Login(browser);
  ASSERT_EQ(res.status, 302) << res.body;
  std::string location = res.GetHeader("Location");
  EXPECT_THAT(location, ::testing::StartsWith(kCallback));
  EXPECT_EQ(UrlParam(location, "error"), "server_error");
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
}

INSTANTIATE_TEST_SUITE_P(Urls, InvalidRedirectUrlTest,
                         ::testing::Values("https://evil.example/\r\nSet-Cookie: x=1",
                                           "https://evil.example/a\nb", "javascript:alert(1)",
                                           "/relative/path", "//evil.example/x",
                                           "https://user:pw@evil.example/",
                                           "https://site.example/?state=mine",
                                           "http://site.example/plain-http", ""));

}  // namespace
}  // namespace gatehouse::flow::testing
