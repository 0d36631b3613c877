// Bad resumes (SPEC §3.3): missing, unknown, another browser, replayed, expired.

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(RedirectTest, MissingStateIs400HtmlOrJson) {
  Browser browser;
  http::Response html = h_.Get("/continue", &browser);
  EXPECT_EQ(html.status, 400);
  EXPECT_THAT(html.body, HasSubstr("invalid_request"));
  EXPECT_THAT(html.GetHeader("Content-Type"), HasSubstr("text/html"));

  http::Response json = h_.GetWith("/continue", &browser, "Accept", "application/json");
  EXPECT_EQ(json.status, 400);
  auto body = nlohmann::json::parse(json.body, nullptr, false);
  EXPECT_EQ(body.value("error", ""), "invalid_request") << json.body;
  EXPECT_TRUE(HasEvent("gh_resume_rejected"));
}

TEST_F(RedirectTest, UnknownStateIs400AndConsumesNothing) {
  h_.SetRules({kRedirectOnce});
  Browser browser;
  std::string state = LoginToRedirect(browser);
  http::Response res =
      h_.Get("/continue?state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &browser);
  EXPECT_EQ(res.status, 400);
  EXPECT_THAT(res.body, HasSubstr("invalid_request"));
  // The real state still works.
  EXPECT_EQ(h_.Get("/continue?state=" + state, &browser).status, 302);
}

TEST_F(RedirectTest, OtherBrowserIsRefusedWithoutConsumingTheState) {
  h_.SetRules({kRedirectOnce});
  Browser victim;
  std::string state = LoginToRedirect(victim);

  Browser attacker;  // no transaction cookie
  EXPECT_EQ(h_.Get("/continue?state=" + state, &attacker).status, 400);
  Browser other;  // another browser's transaction cookie
  h_.Get(h_.AuthorizeTarget(), &other);
  ASSERT_TRUE(other.Get("gh_tx").has_value());
  EXPECT_EQ(h_.Get("/continue?state=" + state, &other).status, 400);

  http::Response res = h_.Get("/continue?state=" + state, &victim);
  ASSERT_EQ(res.status, 302) << res.body;
  EXPECT_FALSE(UrlParam(res.GetHeader("Location"), "code").empty());
}

TEST_F(RedirectTest, ReplayedStateGoesToTheClientWithInvalidRequest) {
  h_.SetRules({kRedirectOnce});
  Browser browser;
  std::string state = LoginToRedirect(browser);
  ASSERT_EQ(h_.Get("/continue?state=" + state, &browser).status, 302);
  http::Response replay = h_.Get("/continue?state=" + state, &browser);
  ASSERT_EQ(replay.status, 302) << replay.body;
  std::string location = replay.GetHeader("Location");
  EXPECT_THAT(location, ::testing::StartsWith(kCallback));
  EXPECT_EQ(UrlParam(location, "error"), "invalid_request");
  EXPECT_THAT(UrlParam(location, "error_description"), HasSubstr("already been used"));
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
  EXPECT_TRUE(UrlParam(location, "code").empty());
}

TEST_F(RedirectTest, ExpiredStateGoesToTheClientWithInvalidRequest) {
  h_.SetRules({kRedirectOnce});
  Browser browser;
  std::string state = LoginToRedirect(browser);
  h_.clock.Advance(std::chrono::seconds(3601));
  http::Response res = h_.Get("/continue?state=" + state, &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  std::string location = res.GetHeader("Location");
  EXPECT_EQ(UrlParam(location, "error"), "invalid_request");
  EXPECT_THAT(UrlParam(location, "error_description"), HasSubstr("expired"));
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
}

TEST_F(RedirectTest, StateOnAnotherDomainIsRefusedWithoutConsumingIt) {
  h_.SetRules({kRedirectOnce});
  Browser browser;
  std::string state = LoginToRedirect(browser);
  h_.host = "login.other.example";
  EXPECT_EQ(h_.Get("/continue?state=" + state, &browser).status, 400);
  h_.host = kHost;
  EXPECT_EQ(h_.Get("/continue?state=" + state, &browser).status, 302);
}

}  // namespace
}  // namespace gatehouse::flow::testing
