// /api/v2/actions/actions and /api/v2/actions/triggers/post-login/bindings
// (issue 11), shaped like Auth0's so the auth0 SDK works. An action is a
// draft (code, secrets) until deployed; logins run the deployed version of the
// actions bound to post-login, in binding order. Secret values are write-only:
// only names and update times are ever returned.

#include <set>

#include "core/iso_time.h"
#include "mgmt/api_error.h"
#include "mgmt/context.h"
#include "rules/action.h"
#include "storage/record_action_repo.h"

namespace gatehouse::mgmt {
namespace {

using nlohmann::json;

constexpr char kTrigger[] = "post-login";
constexpr char kNoAction[] = "The action does not exist.";
constexpr char kNoActionCode[] = "not_found";

// Stateless over storage.records(); one per context.
struct ActionsContext {
  std::shared_ptr<MgmtContext> mgmt;
  std::unique_ptr<storage::ActionRepo> repo;
};

json Triggers() { return json::array({{{"id", kTrigger}, {"version", "v3"}}}); }

json SecretsJson(const std::map<std::string, std::string>& secrets, int64_t updated_ms) {
  json out = json::array();
  for (const auto& [name, value] : secrets) {
    out.push_back({{"name", name}, {"updated_at", IsoTimeMs(updated_ms)}});
  }
  return out;
}

json ActionJson(const storage::ActionRecord& a) {
  json j = {{"id", a.id},
            {"name", a.name},
            {"supported_triggers", Triggers()},
            {"code", a.code},
            {"dependencies", json::array()},
            {"runtime", a.runtime},
            {"secrets", SecretsJson(a.secrets, a.updated_at_ms)},
            {"status", "built"},
            {"all_changes_deployed", a.deployed_version > 0 && a.code == a.deployed_code &&
                                         a.secrets == a.deployed_secrets},
            {"created_at", IsoTimeMs(a.created_at_ms)},
            {"updated_at", IsoTimeMs(a.updated_at_ms)},
            {"built_at", IsoTimeMs(a.updated_at_ms)}};
  if (a.deployed_version > 0) {
    j["deployed_version"] = {{"id", a.id + "_v" + std::to_string(a.deployed_version)},
                             {"action_id", a.id},
                             {"number", a.deployed_version},
                             {"deployed", true},
                             {"code", a.deployed_code},
                             {"runtime", a.runtime},
                             {"status", "built"}};
  }
  return j;
}

http::Response BodyError(const std::string& message) {
  return ApiError(400, "Payload validation error: " + message, "invalid_body");
}

// Checks the writable fields in `j` and applies them to `a`; nullopt when fine.
std::optional<http::Response> Apply(MgmtContext& ctx, const json& j, bool creating,
                                    storage::ActionRecord& a) {
  static const std::set<std::string> kAllowed = {"name",         "code",    "supported_triggers",
                                                 "dependencies", "runtime", "secrets"};
  for (const auto& [key, value] : j.items()) {
    if (!kAllowed.count(key)) return BodyError("'Additional properties not allowed: " + key + "'.");
  }
  if (creating) {
    for (const char* f : {"name", "supported_triggers"}) {
      if (!j.contains(f)) return BodyError(std::string("'Missing required property: ") + f + "'.");
    }
  }
  for (const char* f : {"name", "code", "runtime"}) {
    if (j.contains(f) && !j[f].is_string()) {
      return BodyError(std::string("'Expected type string' on property ") + f + ".");
    }
  }
  if (j.contains("supported_triggers")) {
    const auto& t = j["supported_triggers"];
    bool ok = t.is_array() && t.size() == 1 && t[0].is_object() && t[0].value("id", "") == kTrigger;
    if (!ok) return BodyError("only the post-login trigger is supported.");
  }
  if (j.contains("dependencies") && !(j["dependencies"].is_array() && j["dependencies"].empty())) {
    // npm packages are not installed per action; the rules' node_modules serve require().
    return BodyError(
        "per-action dependencies are not supported; require() resolves the "
        "server's shared modules.");
  }
  if (j.contains("secrets")) {
    if (!j["secrets"].is_array()) return BodyError("'Expected type array' on property secrets.");
    std::map<std::string, std::string> secrets;
    for (const auto& s : j["secrets"]) {
      if (!s.is_object() || !s.contains("name") || !s["name"].is_string() ||
          s["name"].get<std::string>().empty()) {
        return BodyError("every secret needs a name.");
      }
      std::string name = s["name"].get<std::string>();
      if (s.contains("value") && s["value"].is_string()) {
        secrets[name] = s["value"].get<std::string>();
      } else if (auto kept = a.secrets.find(name); kept != a.secrets.end()) {
        secrets[name] = kept->second;  // named without a value: keep the stored one
      } else {
        return BodyError("secret " + name + " needs a value.");
      }
    }
    a.secrets = std::move(secrets);
  }
  if (j.contains("name")) a.name = j["name"].get<std::string>();
  if (j.contains("code")) a.code = j["code"].get<std::string>();
  if (j.contains("runtime")) a.runtime = j["runtime"].get<std::string>();
  if (a.name.empty() || a.name.size() > 255) return BodyError("name must be 1 to 255 characters.");
  if (j.contains("code")) {
    rules::Rule probe{.id = a.id, .name = a.name, .script = rules::ActionModuleFunction(a.code)};
    if (Status s = ctx.deps.engine.Compile(probe); !s.ok()) {
      if (s.code() == ErrorCode::kInvalidArgument) {
        return ApiError(400, "Action code does not compile: " + s.message(), "invalid_body");
      }
      return StatusError(s, kNoAction, kNoActionCode);
    }
  }
  return std::nullopt;
}

http::Response NameTaken() {
  return ApiError(409, "An action with the same name already exists", "conflict");
}

http::Response List(ActionsContext& c, http::Request& req) {
  auto all = c.repo->List();
  if (!all.ok()) return StatusError(all.status(), kNoAction, kNoActionCode);
  auto page = IntParam(req, "page", 0, 0, 100000);
  auto per_page = IntParam(req, "per_page", 50, 1, 100);
  if (!page || !per_page) return ApiError(400, "Invalid page or per_page", "invalid_query_string");
  auto name = req.query.Get("actionName");
  bool deployed_only = BoolParam(req, "deployed");
  json filtered = json::array();
  for (const auto& a : *all) {
    if (name && a.name != *name) continue;
    if (deployed_only && a.deployed_version == 0) continue;
    filtered.push_back(ActionJson(a));
  }
  json out = json::array();
  size_t from = static_cast<size_t>(*page) * static_cast<size_t>(*per_page);
  for (size_t i = from; i < filtered.size() && out.size() < static_cast<size_t>(*per_page); ++i) {
    out.push_back(filtered[i]);
  }
  return http::Response::Json(
      200,
      {{"actions", out}, {"total", filtered.size()}, {"page", *page}, {"per_page", *per_page}});
}

http::Response Create(ActionsContext& c, http::Request& req) {
  auto body = ParseJsonBody(req, c.mgmt->deps.options);
  if (body.error) return std::move(*body.error);
  storage::ActionRecord a;
  if (auto e = Apply(*c.mgmt, body.json, true, a)) return std::move(*e);
  auto created = c.repo->Create(a);
  if (!created.ok()) {
    if (created.status().code() == ErrorCode::kAlreadyExists) return NameTaken();
    return StatusError(created.status(), kNoAction, kNoActionCode);
  }
  return http::Response::Json(201, ActionJson(*created));
}

http::Response Get(ActionsContext& c, http::Request& req) {
  auto a = c.repo->Get(req.path_params["id"]);
  if (!a.ok()) return StatusError(a.status(), kNoAction, kNoActionCode);
  return http::Response::Json(200, ActionJson(*a));
}

http::Response Patch(ActionsContext& c, http::Request& req) {
  auto body = ParseJsonBody(req, c.mgmt->deps.options);
  if (body.error) return std::move(*body.error);
  auto current = c.repo->Get(req.path_params["id"]);
  if (!current.ok()) return StatusError(current.status(), kNoAction, kNoActionCode);
  storage::ActionRecord a = *current;
  if (auto e = Apply(*c.mgmt, body.json, false, a)) return std::move(*e);
  auto updated = c.repo->Update(a, current->version);
  if (!updated.ok()) {
    if (updated.status().code() == ErrorCode::kAlreadyExists) return NameTaken();
    if (updated.status().code() == ErrorCode::kConflict) {
      return ApiError(409, "The action was changed concurrently, retry", "conflict");
    }
    return StatusError(updated.status(), kNoAction, kNoActionCode);
  }
  return http::Response::Json(200, ActionJson(*updated));
}

http::Response Deploy(ActionsContext& c, http::Request& req) {
  auto current = c.repo->Get(req.path_params["id"]);
  if (!current.ok()) return StatusError(current.status(), kNoAction, kNoActionCode);
  storage::ActionRecord a = *current;
  a.deployed_code = a.code;
  a.deployed_secrets = a.secrets;
  a.deployed_version += 1;
  auto updated = c.repo->Update(a, current->version);
  if (!updated.ok()) {
    if (updated.status().code() == ErrorCode::kConflict) {
      return ApiError(409, "The action was changed concurrently, retry", "conflict");
    }
    return StatusError(updated.status(), kNoAction, kNoActionCode);
  }
  json version = ActionJson(*updated)["deployed_version"];
  version["action"] = ActionJson(*updated);
  version["secrets"] = SecretsJson(updated->deployed_secrets, updated->updated_at_ms);
  version["supported_triggers"] = Triggers();
  version["created_at"] = version["updated_at"] = IsoTimeMs(updated->updated_at_ms);
  return http::Response::Json(200, version);
}

http::Response Delete(ActionsContext& c, http::Request& req) {
  const std::string id = req.path_params["id"];
  auto bound = c.repo->Bindings(kTrigger);
  if (!bound.ok()) return StatusError(bound.status(), kNoAction, kNoActionCode);
  bool is_bound = std::find(bound->begin(), bound->end(), id) != bound->end();
  if (is_bound && !BoolParam(req, "force")) {
    return ApiError(400, "The action is bound to a trigger: unbind it first or pass force=true",
                    "invalid_body");
  }
  Status s = c.repo->Delete(id);
  if (!s.ok()) return StatusError(s, kNoAction, kNoActionCode);
  http::Response res;
  res.status = 204;
  return res;
}

json BindingJson(const storage::ActionRecord& a) {
  return {{"id", "bnd_" + a.id.substr(a.id.rfind('_') + 1)},
          {"trigger_id", kTrigger},
          {"display_name", a.name},
          {"action", ActionJson(a)},
          {"created_at", IsoTimeMs(a.created_at_ms)},
          {"updated_at", IsoTimeMs(a.updated_at_ms)}};
}

// The bound actions that still exist, in order.
Result<json> BoundJson(ActionsContext& c) {
  GH_ASSIGN_OR_RETURN(auto ids, c.repo->Bindings(kTrigger));
  json out = json::array();
  for (const auto& id : ids) {
    auto a = c.repo->Get(id);
    if (a.ok()) out.push_back(BindingJson(*a));
  }
  return out;
}

http::Response ListBindings(ActionsContext& c, http::Request& req) {
  if (req.path_params["trigger"] != kTrigger) {
    return ApiError(404, "The trigger does not exist.", "not_found");
  }
  auto bound = BoundJson(c);
  if (!bound.ok()) return StatusError(bound.status(), kNoAction, kNoActionCode);
  auto page = IntParam(req, "page", 0, 0, 100000);
  auto per_page = IntParam(req, "per_page", 50, 1, 100);
  if (!page || !per_page) return ApiError(400, "Invalid page or per_page", "invalid_query_string");
  json out = json::array();
  size_t from = static_cast<size_t>(*page) * static_cast<size_t>(*per_page);
  for (size_t i = from; i < bound->size() && out.size() < static_cast<size_t>(*per_page); ++i) {
    out.push_back((*bound)[i]);
  }
  return http::Response::Json(
      200, {{"bindings", out}, {"total", bound->size()}, {"page", *page}, {"per_page", *per_page}});
}

http::Response PatchBindings(ActionsContext& c, http::Request& req) {
  if (req.path_params["trigger"] != kTrigger) {
    return ApiError(404, "The trigger does not exist.", "not_found");
  }
  auto body = ParseJsonBody(req, c.mgmt->deps.options);
  if (body.error) return std::move(*body.error);
  const json& list = body.json.value("bindings", json());
  if (!list.is_array()) return BodyError("'Missing required property: bindings'.");
  auto all = c.repo->List();
  if (!all.ok()) return StatusError(all.status(), kNoAction, kNoActionCode);
  std::vector<std::string> ids;
  for (const auto& b : list) {
    const json& ref = b.is_object() ? b.value("ref", json()) : json();
    std::string type = ref.is_object() ? ref.value("type", "") : "";
    std::string value = ref.is_object() ? ref.value("value", "") : "";
    const storage::ActionRecord* found = nullptr;
    for (const auto& a : *all) {
      bool match = (type == "action_id" && a.id == value) ||
                   (type == "action_name" && a.name == value) ||
                   (type == "binding_id" && BindingJson(a)["id"] == value);
      if (match) found = &a;
    }
    if (!found) return BodyError("binding ref " + type + " \"" + value + "\" names no action.");
    if (found->deployed_version == 0) {
      return BodyError("action \"" + found->name + "\" must be deployed before it is bound.");
    }
    if (std::find(ids.begin(), ids.end(), found->id) != ids.end()) {
      return BodyError("action \"" + found->name + "\" is bound twice.");
    }
    ids.push_back(found->id);
  }
  if (Status s = c.repo->SetBindings(kTrigger, ids); !s.ok()) {
    return StatusError(s, kNoAction, kNoActionCode);
  }
  auto bound = BoundJson(c);
  if (!bound.ok()) return StatusError(bound.status(), kNoAction, kNoActionCode);
  return http::Response::Json(200, {{"bindings", *bound}});
}

}  // namespace

void RegisterActionRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx) {
  auto c = std::make_shared<ActionsContext>(ActionsContext{
      ctx, storage::CreateRecordActionRepo(ctx->deps.storage.records(), ctx->deps.clock)});
  auto bind = [c](http::Response (*fn)(ActionsContext&, http::Request&)) {
    return [c, fn](http::Request& req, const Principal&) { return fn(*c, req); };
  };
  const std::string base = "/api/v2/actions/actions";
  AddApiRoute(router, ctx, "GET", base, "read:actions", "Get actions", bind(List));
  AddApiRoute(router, ctx, "POST", base, "create:actions", "Create an action", bind(Create));
  AddApiRoute(router, ctx, "GET", base + "/:id", "read:actions", "Get an action", bind(Get));
  AddApiRoute(router, ctx, "PATCH", base + "/:id", "update:actions", "Update an action",
              bind(Patch));
  AddApiRoute(router, ctx, "DELETE", base + "/:id", "delete:actions", "Delete an action",
              bind(Delete));
  AddApiRoute(router, ctx, "POST", base + "/:id/deploy", "create:actions", "Deploy an action",
              bind(Deploy));
  AddApiRoute(router, ctx, "GET", "/api/v2/actions/triggers/:trigger/bindings", "read:actions",
              "Get trigger bindings", bind(ListBindings));
  AddApiRoute(router, ctx, "PATCH", "/api/v2/actions/triggers/:trigger/bindings", "update:actions",
              "Update trigger bindings", bind(PatchBindings));
}

}  // namespace gatehouse::mgmt
