// POST /api/v2/rules/try (a Gatehouse extension, docs/admin.md): the admin
// dashboard's "Try this rule". Runs one rule -- a stored one, or the editor's
// unsaved script -- or the whole enabled pipeline against a stored user (or a
// given profile) and an editable context, as a dry run: the host callbacks only
// record metadata writes (rules::TryRules), nothing is stored, no login
// happens. Runs in its own tenant realm so a rule's globals never leak into
// live logins. Blocks the calling I/O thread for at most the rules time limit.

#include <algorithm>
#include <chrono>
#include <set>

#include "mgmt/api_error.h"
#include "mgmt/context.h"
#include "rules/try_rules.h"

namespace gatehouse::mgmt {
namespace {

constexpr char kTryTenant[] = "gatehouse-try";

nlohmann::json DefaultContext(const http::Request& req) {
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  return {{"clientID", "try-this-rule"},
          {"clientName", "Try this rule"},
          {"clientMetadata", nlohmann::json::object()},
          {"connection", "Username-Password-Authentication"},
          {"connectionStrategy", "auth0"},
          {"stats", {{"loginsCount", 1}}},
          {"accessToken", nlohmann::json::object()},
          {"idToken", nlohmann::json::object()},
          {"sessionID", "try-this-rule-session"},
          {"request",
           {{"userAgent", req.Header("User-Agent").value_or("")},
            {"ip", req.remote_ip},
            {"hostname", req.Host()},
            {"query", nlohmann::json::object()},
            {"body", nlohmann::json::object()}}},
          {"authentication", {{"methods", {{{"name", "pwd"}, {"timestamp", now_ms}}}}}},
          {"authorization", {{"roles", nlohmann::json::array()}}}};
}

http::Response BadBody(const std::string& why) {
  return ApiError(400, "Payload validation error: " + why, "invalid_body");
}

http::Response Try(MgmtContext& ctx, http::Request& req, const Principal& who) {
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  const nlohmann::json& j = body.json;
  for (const auto& [key, value] : j.items()) {
    static const std::set<std::string> kAllowed = {"rule_id", "script",  "name",    "user_id",
                                                   "user",    "context", "protocol"};
    if (!kAllowed.count(key)) return BadBody("'Additional properties not allowed: " + key + "'.");
  }
  for (const char* f : {"rule_id", "script", "name", "user_id", "protocol"}) {
    if (j.contains(f) && !j[f].is_string()) {
      return BadBody(std::string("'Expected type string' on property ") + f + ".");
    }
  }
  for (const char* f : {"user", "context"}) {
    if (j.contains(f) && !j[f].is_object()) {
      return BadBody(std::string("'Expected type object' on property ") + f + ".");
    }
  }

  std::vector<rules::Rule> to_run;
  if (j.contains("script")) {
    to_run.push_back({.id = j.value("rule_id", "rul_try"),
                      .name = j.value("name", "try-this-rule"),
                      .script = j["script"].get<std::string>(),
                      .order = 1,
                      .enabled = true});
  } else {
    auto all = ctx.deps.storage.rules().List();
    if (!all.ok()) return StatusError(all.status(), "", "");
    const std::string only = j.value("rule_id", "");
    for (const auto& r : *all) {
      if (only.empty() ? !r.enabled : r.id != only) continue;
      to_run.push_back(
          {.id = r.id, .name = r.name, .script = r.script, .order = r.order, .enabled = true});
    }
    std::stable_sort(to_run.begin(), to_run.end(),
                     [](const rules::Rule& a, const rules::Rule& b) { return a.order < b.order; });
    if (!only.empty() && to_run.empty()) {
      return ApiError(404, "The rule does not exist.", "inexistent_rule");
    }
  }

  rules::ExecutionInput input;
  input.tenant = kTryTenant;
  input.protocol = j.value("protocol", "oidc-basic-profile");
  input.auth0_domain = req.Host();
  if (j.contains("user_id")) {
    if (!who.Has("read:users")) {
      return ApiError(403, "Insufficient scope, expected any of: read:users", "insufficient_scope");
    }
    auto user = ctx.deps.users.Get(j["user_id"].get<std::string>());
    if (!user.ok())
      return StatusError(user.status(), "The user does not exist.", "inexistent_user");
    input.user = user->ToJson();
  } else {
    input.user = j.value("user", nlohmann::json{{"user_id", "auth0|try"},
                                                {"email", "jane.doe@example.com"},
                                                {"user_metadata", nlohmann::json::object()},
                                                {"app_metadata", nlohmann::json::object()}});
  }
  input.context = DefaultContext(req);
  if (j.contains("context")) input.context.update(j["context"]);  // given keys win
  auto settings = ctx.deps.storage.rules().AllConfig();
  if (!settings.ok()) return StatusError(settings.status(), "", "");
  input.configuration = *settings;

  auto result = rules::TryRules(ctx.deps.engine, to_run, std::move(input));
  if (!result.ok()) {
    if (result.status().code() == ErrorCode::kInvalidArgument) {
      return ApiError(400, "Rule script does not compile: " + result.status().message(),
                      "invalid_body");
    }
    return StatusError(result.status(), "", "");
  }
  nlohmann::json out = rules::TryResultToJson(*result);
  out["rules"] = nlohmann::json::array();
  for (const auto& r : to_run) out["rules"].push_back({{"id", r.id}, {"name", r.name}});
  return http::Response::Json(200, out);
}

}  // namespace

void RegisterRuleTryRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx) {
  // It runs code, so it needs the scope that may change code.
  AddApiRoute(router, ctx, "POST", "/api/v2/rules/try", "update:rules", "Try rules",
              [ctx](http::Request& req, const Principal& who) { return Try(*ctx, req, who); });
}

}  // namespace gatehouse::mgmt
