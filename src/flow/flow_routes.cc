#include "flow/flow_routes.h"

#include <memory>

#include "flow/flow_handlers.h"

namespace gatehouse::flow {

void RegisterFlowRoutes(http::Router& router, FlowDeps deps) {
  // The routes share one handler object; the router's copies keep it alive.
  const bool upstream = deps.upstream != nullptr;
  auto handlers = std::make_shared<FlowHandlers>(std::move(deps));
  // Hosted forms are small; anything bigger is not ours.
  http::RouteOptions form_limits{.max_body_bytes = size_t{16} * 1024};

  router.AddAsync("GET", "/authorize", [handlers](http::Request& req, http::Done done) {
    handlers->Authorize(req, std::move(done));
  });
  router.Add("GET", "/u/login",
             [handlers](http::Request& req) { return handlers->LoginPage(req); });
  router.AddAsync(
      "POST", "/u/login",
      [handlers](http::Request& req, http::Done done) {
        handlers->LoginSubmit(req, std::move(done));
      },
      form_limits);
  router.Add("GET", "/u/signup",
             [handlers](http::Request& req) { return handlers->SignupPage(req); });
  router.AddAsync(
      "POST", "/u/signup",
      [handlers](http::Request& req, http::Done done) {
        handlers->SignupSubmit(req, std::move(done));
      },
      form_limits);
  router.AddAsync("GET", "/continue", [handlers](http::Request& req, http::Done done) {
    handlers->Continue(req, std::move(done));
  });
  router.AddAsync(
      "POST", "/continue",
      [handlers](http::Request& req, http::Done done) { handlers->Continue(req, std::move(done)); },
      form_limits);
  router.Add("GET", "/v2/logout", [handlers](http::Request& req) { return handlers->Logout(req); });
  if (upstream) {
    router.AddAsync("GET", "/login/connection", [handlers](http::Request& req, http::Done done) {
      handlers->UpstreamStart(req, std::move(done));
    });
    router.AddAsync("GET", "/login/callback", [handlers](http::Request& req, http::Done done) {
      handlers->UpstreamCallback(req, std::move(done));
    });
  }
}

}  // namespace gatehouse::flow
