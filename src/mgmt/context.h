#pragma once
// Internal to mgmt: what every resource's routes share, and the helper that
// wraps a handler with authentication, the scope check and the API log event.

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "mgmt/auth.h"
#include "mgmt/mgmt_routes.h"

namespace gatehouse::mgmt {

struct MgmtContext {
  explicit MgmtContext(MgmtDeps d) : deps(d) {}
  MgmtDeps deps;
};

using ApiHandler = std::function<http::Response(http::Request&, const Principal&)>;

// Registers `method pattern` needing `scope`; `description` names the
// operation in the tenant log ("Create a User").
void AddApiRoute(http::Router& router, const std::shared_ptr<MgmtContext>& ctx,
                 const std::string& method, const std::string& pattern, const std::string& scope,
                 const std::string& description, ApiHandler handler);

// The request body as a JSON object, or the error response (413 over the
// limit, 400 for invalid JSON or a non-object).
struct JsonBody {
  nlohmann::json json;
  std::optional<http::Response> error;
};
JsonBody ParseJsonBody(const http::Request& request, const MgmtOptions& options);

// A query parameter as a non-negative int within [min, max]; `fallback` when
// absent; nullopt when malformed or out of range.
std::optional<int> IntParam(const http::Request& request, const std::string& name, int fallback,
                            int min, int max);
// "true"/"false" query parameter (absent = false).
bool BoolParam(const http::Request& request, const std::string& name);

// Registration of each resource (one file each).
void RegisterUserRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx);
void RegisterRuleRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx);
// POST /api/v2/rules/try: dry run of rules (Gatehouse extension, rules_try.cc).
void RegisterRuleTryRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx);
void RegisterRulesConfigRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx);
void RegisterClientRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx);
void RegisterLogRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx);
// /api/v2/connections: upstream OIDC providers (connections.cc).
void RegisterConnectionRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx);
// /api/v2/actions/actions and the post-login trigger bindings (actions.cc).
void RegisterActionRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx);

}  // namespace gatehouse::mgmt
