// /api/v2/clients (SPEC §5.3): CRUD; the secret is shown once, at creation
// and on rotate-secret, and stored only as a hash.

#include <set>

#include "mgmt/api_error.h"
#include "mgmt/context.h"

namespace gatehouse::mgmt {
namespace {

constexpr char kNoClient[] = "The client does not exist";
constexpr char kNoClientCode[] = "inexistent_client";

std::optional<http::Response> Bad(const std::string& field, const char* type) {
  return ApiError(400,
                  "Payload validation error: 'Expected type " + std::string(type) +
                      "' on property " + field + ".",
                  "invalid_body");
}

// Checks the fields of `j` and applies them to `c`; nullopt when fine.
std::optional<http::Response> Apply(const nlohmann::json& j, oauth::Client& c) {
  static const std::set<std::string> kStrings = {"name", "description", "app_type",
                                                 "token_endpoint_auth_method"};
  static const std::set<std::string> kLists = {"callbacks", "allowed_logout_urls", "web_origins",
                                               "grant_types"};
  for (const auto& [key, value] : j.items()) {
    if (kStrings.count(key)) {
      if (!value.is_string()) return Bad(key, "string");
    } else if (kLists.count(key)) {
      if (!value.is_array()) return Bad(key, "array");
      for (const auto& v : value) {
        if (!v.is_string()) return Bad(key, "array of strings");
      }
    } else if (key == "is_first_party") {
      if (!value.is_boolean()) return Bad(key, "boolean");
    } else if (key == "client_metadata") {
      if (!value.is_object()) return Bad(key, "object");
      for (const auto& [mk, mv] : value.items()) {
        if (!mv.is_string()) return Bad("client_metadata." + mk, "string");
      }
    } else {
      return ApiError(400,
                      "Payload validation error: 'Additional properties not allowed: " + key + "'.",
                      "invalid_body");
    }
  }
  if (j.contains("name")) c.name = j["name"];
  if (j.contains("description")) c.description = j["description"];
  if (j.contains("app_type")) c.app_type = j["app_type"];
  if (j.contains("token_endpoint_auth_method")) {
    c.token_endpoint_auth_method = j["token_endpoint_auth_method"];
  }
  if (j.contains("callbacks")) c.callbacks = j["callbacks"].get<std::vector<std::string>>();
  if (j.contains("allowed_logout_urls")) {
    c.allowed_logout_urls = j["allowed_logout_urls"].get<std::vector<std::string>>();
  }
  if (j.contains("web_origins")) c.web_origins = j["web_origins"].get<std::vector<std::string>>();
  if (j.contains("grant_types")) c.grant_types = j["grant_types"].get<std::vector<std::string>>();
  if (j.contains("is_first_party")) c.is_first_party = j["is_first_party"];
  if (j.contains("client_metadata")) c.client_metadata = j["client_metadata"];
  return std::nullopt;
}

nlohmann::json WithSecret(const oauth::CreatedClient& created) {
  nlohmann::json j = created.client.ToJson();
  if (!created.client_secret.empty()) j["client_secret"] = created.client_secret;
  return j;
}

http::Response List(MgmtContext& ctx, http::Request&) {
  auto all = ctx.deps.clients.List();
  if (!all.ok()) return StatusError(all.status(), kNoClient, kNoClientCode);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : *all) out.push_back(c.ToJson());
  return http::Response::Json(200, out);
}

http::Response Create(MgmtContext& ctx, http::Request& req) {
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  if (!body.json.contains("name")) {
    return ApiError(400, "Payload validation error: 'Missing required property: name'.",
                    "invalid_body");
  }
  oauth::Client spec;
  if (auto e = Apply(body.json, spec)) return std::move(*e);
  auto created = ctx.deps.clients.Create(spec);
  if (!created.ok()) return StatusError(created.status(), kNoClient, kNoClientCode);
  return http::Response::Json(201, WithSecret(*created));
}

http::Response Get(MgmtContext& ctx, http::Request& req) {
  auto c = ctx.deps.clients.Get(req.path_params["id"]);
  if (!c.ok()) return StatusError(c.status(), kNoClient, kNoClientCode);
  return http::Response::Json(200, c->ToJson());
}

http::Response Patch(MgmtContext& ctx, http::Request& req) {
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  auto c = ctx.deps.clients.Get(req.path_params["id"]);
  if (!c.ok()) return StatusError(c.status(), kNoClient, kNoClientCode);
  if (auto e = Apply(body.json, *c)) return std::move(*e);
  auto updated = ctx.deps.clients.Update(*c);
  if (!updated.ok()) return StatusError(updated.status(), kNoClient, kNoClientCode);
  return http::Response::Json(200, updated->ToJson());
}

http::Response Delete(MgmtContext& ctx, http::Request& req) {
  Status s = ctx.deps.clients.Delete(req.path_params["id"]);
  if (!s.ok()) return StatusError(s, kNoClient, kNoClientCode);
  http::Response res;
  res.status = 204;
  return res;
}

http::Response Rotate(MgmtContext& ctx, http::Request& req) {
  auto rotated = ctx.deps.clients.RotateSecret(req.path_params["id"]);
  if (!rotated.ok()) return StatusError(rotated.status(), kNoClient, kNoClientCode);
  return http::Response::Json(200, WithSecret(*rotated));
}

}  // namespace

void RegisterClientRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx) {
  auto bind = [ctx](http::Response (*fn)(MgmtContext&, http::Request&)) {
    return [ctx, fn](http::Request& req, const Principal&) { return fn(*ctx, req); };
  };
  AddApiRoute(router, ctx, "GET", "/api/v2/clients", "read:clients", "Get clients", bind(List));
  AddApiRoute(router, ctx, "POST", "/api/v2/clients", "create:clients", "Create a client",
              bind(Create));
  AddApiRoute(router, ctx, "GET", "/api/v2/clients/:id", "read:clients", "Get a client", bind(Get));
  AddApiRoute(router, ctx, "PATCH", "/api/v2/clients/:id", "update:clients", "Update a client",
              bind(Patch));
  AddApiRoute(router, ctx, "DELETE", "/api/v2/clients/:id", "delete:clients", "Delete a client",
              bind(Delete));
  AddApiRoute(router, ctx, "POST", "/api/v2/clients/:id/rotate-secret", "update:clients",
              "Rotate a client secret", bind(Rotate));
}

}  // namespace gatehouse::mgmt
