#include "oauth/oauth_routes.h"

#include <memory>

#include "oauth/discovery.h"
#include "oauth/issuer.h"
#include "oauth/revocation_endpoint.h"
#include "oauth/token_context.h"
#include "oauth/token_endpoint.h"
#include "oauth/userinfo_endpoint.h"

namespace gatehouse::oauth {

void RegisterOAuthRoutes(http::Router& router, OAuthDeps deps) {
  // Owned by the handlers; the router keeps them for the process lifetime.
  auto ctx = std::make_shared<OAuthContext>(deps);

  auto discovery = std::make_shared<DiscoveryCache>();
  router.Add("GET", "/.well-known/openid-configuration", [discovery](http::Request& req) {
    auto res = http::Response::Text(200, discovery->Body(IssuerFor(req)));
    res.SetHeader("Content-Type", "application/json");
    res.SetHeader("Cache-Control", "public, max-age=300");
    res.SetHeader("Access-Control-Allow-Origin", "*");
    return res;
  });
  router.Add("GET", "/.well-known/jwks.json", [ctx](http::Request&) {
    auto res = http::Response::Text(200, ctx->deps.keys.JwksBody());
    res.SetHeader("Content-Type", "application/json");
    res.SetHeader("Cache-Control", "public, max-age=300");
    res.SetHeader("Access-Control-Allow-Origin", "*");
    return res;
  });
  router.AddAsync("POST", "/oauth/token", [ctx](http::Request& req, http::Done done) {
    HandleToken(*ctx, req, std::move(done));
  });
  auto userinfo = [ctx](http::Request& req) { return HandleUserinfo(*ctx, req); };
  router.Add("GET", "/userinfo", userinfo);
  router.Add("POST", "/userinfo", userinfo);
  router.Add("POST", "/oauth/revoke",
             [ctx](http::Request& req) { return HandleRevoke(*ctx, req); });
}

}  // namespace gatehouse::oauth
