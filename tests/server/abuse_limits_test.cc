#include "server/abuse_limits.h"

#include <gtest/gtest.h>

namespace gatehouse::server {
namespace {

http::Request Post(std::string path, std::string body, std::string ip = "203.0.113.1") {
  http::Request r;
  r.method = "POST";
  r.path = std::move(path);
  r.body = std::move(body);
  r.remote_ip = std::move(ip);
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  return r;
}

TEST(AbuseLimits, LoginPerIpRefusesWith429AndRetryAfter) {
  FakeClock clock;
  AbuseLimits limits({.login_per_ip_per_minute = 2}, clock);
  EXPECT_FALSE(limits.Check(Post("/u/login", "username=a")));
  EXPECT_FALSE(limits.Check(Post("/u/login", "username=b")));
  auto refused = limits.Check(Post("/u/login", "username=c"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->GetHeader("Retry-After"), "30");
  // Another address is not affected; after the refill the first one passes again.
  EXPECT_FALSE(limits.Check(Post("/u/login", "username=c", "203.0.113.2")));
  clock.Advance(std::chrono::seconds(30));
  EXPECT_FALSE(limits.Check(Post("/u/login", "username=c")));
}

TEST(AbuseLimits, LoginFormGetsAPageAndJsonOnlyWhenAsked) {
  FakeClock clock;
  AbuseLimits limits({.login_per_ip_per_minute = 1, .token_per_ip_per_minute = 1}, clock);
  EXPECT_FALSE(limits.Check(Post("/u/login", "username=a")));
  auto page = limits.Check(Post("/u/login", "username=a"));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 429);
  EXPECT_NE(page->GetHeader("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page->body.find("too_many_requests"), std::string::npos);
  EXPECT_FALSE(page->GetHeader("Content-Security-Policy").empty());
  EXPECT_EQ(page->GetHeader("Retry-After"), "60");
  auto asked_json = Post("/u/login", "username=a");
  asked_json.headers.emplace("Accept", "application/json");
  auto json = limits.Check(asked_json);
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 429);
  EXPECT_NE(json->GetHeader("Content-Type").find("application/json"), std::string::npos);
  // The token endpoint always answers JSON.
  EXPECT_FALSE(limits.Check(Post("/oauth/token", "grant_type=client_credentials")));
  auto token = limits.Check(Post("/oauth/token", "grant_type=client_credentials"));
  ASSERT_TRUE(token);
  EXPECT_NE(token->GetHeader("Content-Type").find("application/json"), std::string::npos);
}

TEST(AbuseLimits, LoginPerUserCountsAcrossAddressesCaseInsensitively) {
  FakeClock clock;
  AbuseLimits limits({.login_per_user_per_minute = 2}, clock);
  EXPECT_FALSE(limits.Check(Post("/u/login", "username=Alice%40example.com", "198.51.100.1")));
  EXPECT_FALSE(limits.Check(Post("/u/login", "username=alice%40example.com", "198.51.100.2")));
  auto refused = limits.Check(Post("/u/login", "username=ALICE%40example.com", "198.51.100.3"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_FALSE(limits.Check(Post("/u/login", "username=bob%40example.com", "198.51.100.3")));
}

TEST(AbuseLimits, TokenPerUserOnlyForThePasswordGrant) {
  FakeClock clock;
  AbuseLimits limits({.token_per_user_per_minute = 1}, clock);
  EXPECT_FALSE(limits.Check(Post("/oauth/token", "grant_type=password&username=u")));
  EXPECT_TRUE(limits.Check(Post("/oauth/token", "grant_type=password&username=u")));
  // Other grants carry no user name to limit on.
  EXPECT_FALSE(limits.Check(Post("/oauth/token", "grant_type=refresh_token&username=u")));
  EXPECT_FALSE(limits.Check(Post("/oauth/token", "grant_type=refresh_token&username=u")));
}

TEST(AbuseLimits, TokenPerIpAndOtherRoutesUntouched) {
  FakeClock clock;
  AbuseLimits limits({.login_per_ip_per_minute = 1, .token_per_ip_per_minute = 1}, clock);
  EXPECT_FALSE(limits.Check(Post("/oauth/token", "grant_type=client_credentials")));
  EXPECT_TRUE(limits.Check(Post("/oauth/token", "grant_type=client_credentials")));
  // Separate budgets per endpoint, and nothing else is limited.
  EXPECT_FALSE(limits.Check(Post("/u/login", "")));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limits.Check(Post("/u/signup", "username=x")));
  http::Request get = Post("/u/login", "");
  get.method = "GET";
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limits.Check(get));
}

TEST(AbuseLimits, ZeroMeansOff) {
  FakeClock clock;
  AbuseLimits limits({}, clock);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(limits.Check(Post("/u/login", "username=a")));
}

}  // namespace
}  // namespace gatehouse::server
