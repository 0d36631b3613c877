// /admin serves the embedded bundle with a strict CSP.

#include "admin/admin_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gatehouse::admin {
namespace {

http::Response Get(http::Router& router, const std::string& path) {
  http::Request req;
  req.method = "GET";
  req.target = req.path = path;
  auto match = router.Lookup("GET", path);
  if (match.kind != http::Router::Match::Kind::kFound) {
    http::Response r;
    r.status = 404;
    return r;
  }
  return match.route->handler(req);
}

class AdminRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterAdminRoutes(router_); }
  http::Router router_;
};

TEST_F(AdminRoutesTest, IndexLoadsOnlyItsOwnScriptAndStylesheet) {
  auto r = Get(router_, "/admin/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.GetHeader("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<script defer src=\"/admin/app.js\"></script>"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/admin/app.css\""), std::string::npos);
  EXPECT_EQ(r.body.find("style="), std::string::npos);
  EXPECT_EQ(r.body.find("<style"), std::string::npos);
}

TEST_F(AdminRoutesTest, EveryResponseHasTheStrictPolicy) {
  for (const char* path : {"/admin/", "/admin/app.js", "/admin/app.css", "/admin/config.json"}) {
    auto r = Get(router_, path);
    ASSERT_EQ(r.status, 200) << path;
    const std::string csp = r.GetHeader("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << path;
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe"), std::string::npos) << path;
    EXPECT_EQ(r.GetHeader("Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(r.GetHeader("X-Frame-Options"), "DENY") << path;
  }
}

TEST_F(AdminRoutesTest, TheBundleIsEmbedded) {
  auto js = Get(router_, "/admin/app.js");
  EXPECT_EQ(js.GetHeader("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_GT(js.body.size(), 10000u);
  EXPECT_NE(js.body.find("/oauth/token"), std::string::npos);
  EXPECT_GT(Get(router_, "/admin/app.css").body.size(), 1000u);
}

TEST_F(AdminRoutesTest, ConfigNamesTheBuiltInClientAndEveryScope) {
  auto j = nlohmann::json::parse(Get(router_, "/admin/config.json").body);
  EXPECT_EQ(j["client_id"], "gatehouse-admin");
  const std::string scope = j["scope"];
  EXPECT_EQ(scope.rfind("openid ", 0), 0u);
  EXPECT_NE(scope.find("update:rules"), std::string::npos);
  EXPECT_NE(scope.find("read:logs"), std::string::npos);
}

TEST_F(AdminRoutesTest, BareAdminRedirectsToTheSlash) {
  auto r = Get(router_, "/admin");
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.GetHeader("Location"), "/admin/");
  EXPECT_EQ(Get(router_, "/admin/other.js").status, 404);
}

}  // namespace
}  // namespace gatehouse::admin
