// /api/v2/rules-configs (SPEC §5.3): rule settings. Values are secrets for
// the rules runtime: they are written here but never returned.

#include "mgmt/api_error.h"
#include "mgmt/context.h"

namespace gatehouse::mgmt {
namespace {

constexpr char kNoKey[] = "The rules config does not exist.";
constexpr char kNoKeyCode[] = "inexistent_rules_config";

// Auth0's key pattern: ^[A-Za-z0-9_\-@*+:]*$, 1..127 characters.
bool ValidKey(const std::string& key) {
  if (key.empty() || key.size() > 127) return false;
  for (unsigned char c : key) {
    if (!std::isalnum(c) && c != '_' && c != '-' && c != '@' && c != '*' && c != '+' && c != ':') {
      return false;
    }
  }
  return true;
}

http::Response BadKey() {
  return ApiError(400,
                  "Path validation error: 'String does not match pattern "
                  "^[A-Za-z0-9_\\-@*+:]*$' on property key.",
                  "invalid_uri");
}

http::Response List(MgmtContext& ctx, http::Request&) {
  auto all = ctx.deps.storage.rules().AllConfig();
  if (!all.ok()) return StatusError(all.status(), kNoKey, kNoKeyCode);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [key, value] : *all) out.push_back({{"key", key}});
  return http::Response::Json(200, out);
}

http::Response Put(MgmtContext& ctx, http::Request& req) {
  const std::string key = req.path_params["key"];
  if (!ValidKey(key)) return BadKey();
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  const auto& j = body.json;
  for (const auto& [k, v] : j.items()) {
    if (k != "value") {
      return ApiError(400,
                      "Payload validation error: 'Additional properties not allowed: " + k + "'.",
                      "invalid_body");
    }
  }
  if (!j.contains("value") || !j["value"].is_string()) {
    return ApiError(400, "Payload validation error: 'Missing required property: value'.",
                    "invalid_body");
  }
  Status s = ctx.deps.storage.rules().SetConfig(key, j["value"].get<std::string>());
  if (!s.ok()) return StatusError(s, kNoKey, kNoKeyCode);
  return http::Response::Json(200, {{"key", key}});
}

http::Response Delete(MgmtContext& ctx, http::Request& req) {
  const std::string key = req.path_params["key"];
  if (!ValidKey(key)) return BadKey();
  Status s = ctx.deps.storage.rules().DeleteConfig(key);
  if (!s.ok()) return StatusError(s, kNoKey, kNoKeyCode);
  http::Response res;
  res.status = 204;
  return res;
}

}  // namespace

void RegisterRulesConfigRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx) {
  auto bind = [ctx](http::Response (*fn)(MgmtContext&, http::Request&)) {
    return [ctx, fn](http::Request& req, const Principal&) { return fn(*ctx, req); };
  };
  AddApiRoute(router, ctx, "GET", "/api/v2/rules-configs", "read:rules_configs",
              "Get rules configs", bind(List));
  AddApiRoute(router, ctx, "PUT", "/api/v2/rules-configs/:key", "update:rules_configs",
              "Set a rules config", bind(Put));
  AddApiRoute(router, ctx, "DELETE", "/api/v2/rules-configs/:key", "delete:rules_configs",
              "Delete a rules config", bind(Delete));
}

}  // namespace gatehouse::mgmt
