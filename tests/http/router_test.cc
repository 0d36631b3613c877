#include "http/router.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

using Kind = Router::Match::Kind;

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

std::string Invoke(const Router::Match& m) {
  Request r;
  return m.route->handler(r).body;
}

TEST(Router, PathParams) {
  Router router;
  router.Add("GET", "/api/v2/users/:id", Named("user"));
  router.Add("GET", "/api/v2/users/:id/roles/:role", Named("role"));
  auto m = router.Lookup("GET", "/api/v2/users/auth0%7C42");
  ASSERT_EQ(m.kind, Kind::kFound);
  EXPECT_EQ(Invoke(m), "user");
  EXPECT_EQ(m.path_params.at("id"), "auth0|42");
  m = router.Lookup("GET", "/api/v2/users/7/roles/admin");
  ASSERT_EQ(m.kind, Kind::kFound);
  EXPECT_EQ(m.path_params.at("id"), "7");
  EXPECT_EQ(m.path_params.at("role"), "admin");
  EXPECT_EQ(router.Lookup("GET", "/api/v2/users/").kind, Kind::kNotFound);  // empty segment
  EXPECT_EQ(router.Lookup("GET", "/api/v2/users").kind, Kind::kNotFound);
}

TEST(Router, NotFoundVersusMethodNotAllowed) {
  Router router;
  router.Add("GET", "/token", Named("get"));
  router.Add("POST", "/token", Named("post"));
  router.Add("DELETE", "/other", Named("x"));
  EXPECT_EQ(router.Lookup("GET", "/nope").kind, Kind::kNotFound);
  auto m = router.Lookup("PUT", "/token");
  EXPECT_EQ(m.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
  EXPECT_EQ(Invoke(router.Lookup("POST", "/token")), "post");
}

TEST(Router, TrailingSlashIsADifferentPath) {
  Router router;
  router.Add("GET", "/authorize", Named("a"));
  EXPECT_EQ(router.Lookup("GET", "/authorize").kind, Kind::kFound);
  EXPECT_EQ(router.Lookup("GET", "/authorize/").kind, Kind::kNotFound);
  router.Add("GET", "/", Named("root"));
  EXPECT_EQ(Invoke(router.Lookup("GET", "/")), "root");
}

TEST(Router, HeadFallsBackToGetButPrefersExplicitHead) {
  Router router;
  router.Add("GET", "/a", Named("get-a"));
  router.Add("GET", "/b", Named("get-b"));
  router.Add("HEAD", "/b", Named("head-b"));
  EXPECT_EQ(Invoke(router.Lookup("HEAD", "/a")), "get-a");
  EXPECT_EQ(Invoke(router.Lookup("HEAD", "/b")), "head-b");
  EXPECT_EQ(router.Lookup("POST", "/a").allow, "GET, HEAD");
}

TEST(Router, LiteralBeatsParamAndWildcardTakesRest) {
  Router router;
  router.Add("GET", "/users/:id", Named("param"));
  router.Add("GET", "/users/me", Named("me"));
  router.Add("GET", "/assets/*file", Named("asset"));
  EXPECT_EQ(Invoke(router.Lookup("GET", "/users/me")), "me");
  EXPECT_EQ(Invoke(router.Lookup("GET", "/users/you")), "param");
  auto m = router.Lookup("GET", "/assets/css/site.css");
  ASSERT_EQ(m.kind, Kind::kFound);
  EXPECT_EQ(m.path_params.at("file"), "css/site.css");
}

TEST(Router, MalformedEscapeIsNotFound) {
  Router router;
  router.Add("GET", "/users/:id", Named("param"));
  EXPECT_EQ(router.Lookup("GET", "/users/%zz").kind, Kind::kNotFound);
}

TEST(Router, CarriesOptionsAndAsync) {
  Router router;
  router.AddAsync(
      "POST", "/slow", [](Request&, Done done) { done(Response::Text(200, "x")); },
      RouteOptions{.max_body_bytes = 10});
  auto m = router.Lookup("POST", "/slow");
  ASSERT_EQ(m.kind, Kind::kFound);
  EXPECT_FALSE(m.route->handler);
  EXPECT_TRUE(m.route->async_handler);
  EXPECT_EQ(m.route->options.max_body_bytes, 10u);
}

}  // namespace
}  // namespace gatehouse::http
