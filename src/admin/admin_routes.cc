#include "admin/admin_routes.h"

#include <nlohmann/json.hpp>

#include "admin/embedded_assets.h"
#include "mgmt/scopes.h"
#include "oauth/admin_access.h"

namespace gatehouse::admin {
namespace {

void SecureHeaders(http::Response& res) {
  res.SetHeader("Content-Security-Policy", AdminContentSecurityPolicy());
  res.SetHeader("X-Frame-Options", "DENY");
  // The authorization code arrives in /admin/'s query: never leak it onward.
  res.SetHeader("Referrer-Policy", "no-referrer");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  // Always revalidated, so a new binary's bundle is picked up at once.
  res.SetHeader("Cache-Control", "no-cache");
}

http::Response Asset(const std::string& name, const char* content_type) {
  const auto& assets = internal::EmbeddedAssets();
  auto it = assets.find(name);
  http::Response res;
  if (it == assets.end()) {
    res = http::Response::Text(404, "not found");
  } else {
    res.status = 200;
    res.body = it->second;
    res.SetHeader("Content-Type", content_type);
  }
  SecureHeaders(res);
  return res;
}

}  // namespace

const char* AdminContentSecurityPolicy() {
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
         "object-src 'none'";
}

void RegisterAdminRoutes(http::Router& router) {
  router.Add("GET", "/admin", [](http::Request&) {
    http::Response res = http::Response::Redirect("/admin/", 301);
    SecureHeaders(res);
    return res;
  });
  router.Add("GET", "/admin/",
             [](http::Request&) { return Asset("index.html", "text/html; charset=utf-8"); });
  router.Add("GET", "/admin/app.js",
             [](http::Request&) { return Asset("app.js", "text/javascript; charset=utf-8"); });
  router.Add("GET", "/admin/app.css",
             [](http::Request&) { return Asset("app.css", "text/css; charset=utf-8"); });
  router.Add("GET", "/admin/config.json", [](http::Request&) {
    std::string scope = "openid profile email";
    for (const auto& s : mgmt::AllScopes()) scope += " " + s;
    http::Response res = http::Response::Json(
        200,
        {{"client_id", oauth::kAdminClientId}, {"scope", scope}, {"audience_path", "/api/v2/"}});
    SecureHeaders(res);
    return res;
  });
}

}  // namespace gatehouse::admin
