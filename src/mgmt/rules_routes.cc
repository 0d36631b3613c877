// /api/v2/rules (SPEC §4.1, §5.3): CRUD with name validation and a compile
// check, so a rule that would fail every login is refused up front.

#include <set>

#include "mgmt/api_error.h"
#include "mgmt/context.h"
#include "rules/rule.h"

namespace gatehouse::mgmt {
namespace {

constexpr char kNoRule[] = "The rule does not exist.";
constexpr char kNoRuleCode[] = "inexistent_rule";

nlohmann::json RuleJson(const storage::RuleRecord& r) {
  return {{"id", r.id},       {"name", r.name},       {"script", r.script},
          {"order", r.order}, {"enabled", r.enabled}, {"stage", r.stage}};
}

// Checks the writable fields present in `j` and applies them to `r`; nullopt
// when fine. `creating` requires name and script.
std::optional<http::Response> Apply(MgmtContext& ctx, const nlohmann::json& j, bool creating,
                                    storage::RuleRecord& r) {
  static const std::set<std::string> kAllowed = {"name", "script", "order", "enabled", "stage"};
  for (const auto& [key, value] : j.items()) {
    if (!kAllowed.count(key)) {
      return ApiError(400,
                      "Payload validation error: 'Additional properties not allowed: " + key + "'.",
                      "invalid_body");
    }
  }
  for (const char* f : {"name", "script"}) {
    if (creating && !j.contains(f)) {
      return ApiError(
          400, std::string("Payload validation error: 'Missing required property: ") + f + "'.",
          "invalid_body");
    }
    if (j.contains(f) && !j[f].is_string()) {
      return ApiError(
          400,
          std::string("Payload validation error: 'Expected type string' on property ") + f + ".",
          "invalid_body");
    }
  }
  if (j.contains("order") && !j["order"].is_number_integer()) {
    return ApiError(400, "Payload validation error: 'Expected type number' on property order.",
                    "invalid_body");
  }
  if (j.contains("enabled") && !j["enabled"].is_boolean()) {
    return ApiError(400, "Payload validation error: 'Expected type boolean' on property enabled.",
                    "invalid_body");
  }
  if (j.contains("stage") && j["stage"] != "login_success") {
    return ApiError(400, "Payload validation error: 'Invalid stage'.", "invalid_body");
  }
  if (j.contains("name")) r.name = j["name"].get<std::string>();
  if (j.contains("script")) r.script = j["script"].get<std::string>();
  if (j.contains("order")) r.order = j["order"].get<int>();
  if (j.contains("enabled")) r.enabled = j["enabled"].get<bool>();
  if (Status s = rules::ValidateRuleName(r.name); !s.ok()) {
    return ApiError(400, "Payload validation error: " + s.message(), "invalid_body");
  }
  if (j.contains("script")) {
    rules::Rule rule{
        .id = r.id, .name = r.name, .script = r.script, .order = r.order, .enabled = r.enabled};
    if (Status s = ctx.deps.engine.Compile(rule); !s.ok()) {
      if (s.code() == ErrorCode::kInvalidArgument) {
        return ApiError(400, "Rule script does not compile: " + s.message(), "invalid_body");
      }
      return StatusError(s, kNoRule, kNoRuleCode);
    }
  }
  return std::nullopt;
}

http::Response NameTaken() {
  return ApiError(409, "A rule with the same name already exists", "conflict");
}

http::Response List(MgmtContext& ctx, http::Request& req) {
  auto all = ctx.deps.storage.rules().List();
  if (!all.ok()) return StatusError(all.status(), kNoRule, kNoRuleCode);
  auto enabled = req.query.Get("enabled");
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : *all) {
    if (enabled && ((*enabled == "true") != r.enabled)) continue;
    out.push_back(RuleJson(r));
  }
  if (!BoolParam(req, "include_totals")) return http::Response::Json(200, out);
  return http::Response::Json(200, {{"start", 0},
                                    {"limit", out.size()},
                                    {"length", out.size()},
                                    {"total", out.size()},
                                    {"rules", out}});
}

http::Response Create(MgmtContext& ctx, http::Request& req) {
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  storage::RuleRecord r;
  if (auto e = Apply(ctx, body.json, true, r)) return std::move(*e);
  auto created = ctx.deps.storage.rules().Create(r);
  if (!created.ok()) {
    if (created.status().code() == ErrorCode::kAlreadyExists) return NameTaken();
    return StatusError(created.status(), kNoRule, kNoRuleCode);
  }
  return http::Response::Json(201, RuleJson(*created));
}

http::Response Get(MgmtContext& ctx, http::Request& req) {
  auto r = ctx.deps.storage.rules().Get(req.path_params["id"]);
  if (!r.ok()) return StatusError(r.status(), kNoRule, kNoRuleCode);
  return http::Response::Json(200, RuleJson(*r));
}

http::Response Patch(MgmtContext& ctx, http::Request& req) {
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  auto current = ctx.deps.storage.rules().Get(req.path_params["id"]);
  if (!current.ok()) return StatusError(current.status(), kNoRule, kNoRuleCode);
  storage::RuleRecord r = *current;
  if (auto e = Apply(ctx, body.json, false, r)) return std::move(*e);
  auto updated = ctx.deps.storage.rules().Update(r, current->version);
  if (!updated.ok()) {
    if (updated.status().code() == ErrorCode::kAlreadyExists) return NameTaken();
    if (updated.status().code() == ErrorCode::kConflict) {
      return ApiError(409, "The rule was changed concurrently, retry", "conflict");
    }
    return StatusError(updated.status(), kNoRule, kNoRuleCode);
  }
  return http::Response::Json(200, RuleJson(*updated));
}

http::Response Delete(MgmtContext& ctx, http::Request& req) {
  Status s = ctx.deps.storage.rules().Delete(req.path_params["id"]);
  if (!s.ok()) return StatusError(s, kNoRule, kNoRuleCode);
  http::Response res;
  res.status = 204;
  return res;
}

}  // namespace

void RegisterRuleRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx) {
  auto bind = [ctx](http::Response (*fn)(MgmtContext&, http::Request&)) {
    return [ctx, fn](http::Request& req, const Principal&) { return fn(*ctx, req); };
  };
  AddApiRoute(router, ctx, "GET", "/api/v2/rules", "read:rules", "Get rules", bind(List));
  AddApiRoute(router, ctx, "POST", "/api/v2/rules", "create:rules", "Create a rule", bind(Create));
  AddApiRoute(router, ctx, "GET", "/api/v2/rules/:id", "read:rules", "Get a rule", bind(Get));
  AddApiRoute(router, ctx, "PATCH", "/api/v2/rules/:id", "update:rules", "Update a rule",
              bind(Patch));
  AddApiRoute(router, ctx, "DELETE", "/api/v2/rules/:id", "delete:rules", "Delete a rule",
              bind(Delete));
}

}  // namespace gatehouse::mgmt
