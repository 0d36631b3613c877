// /api/v2/connections (Auth0-shaped, strategy "oidc" only): upstream OpenID
// Connect providers users may sign in through (src/connections). The client
// secret is write-only: no answer ever contains it.

#include "connections/connection_repo.h"
#include "mgmt/api_error.h"
#include "mgmt/context.h"

namespace gatehouse::mgmt {
namespace {

constexpr char kNoConnection[] = "The connection does not exist";
constexpr char kNoConnectionCode[] = "inexistent_connection";

connections::ConnectionRepo Repo(MgmtContext& ctx) {
  return connections::ConnectionRepo(ctx.deps.storage.records(), ctx.deps.random);
}

// enabled_clients must name registered applications.
std::optional<http::Response> CheckClients(MgmtContext& ctx, const connections::Connection& c) {
  for (const auto& id : c.enabled_clients) {
    auto client = ctx.deps.clients.Get(id);
    if (client.ok()) continue;
    if (client.status().code() == ErrorCode::kNotFound) {
      return ApiError(400, "Payload validation error: unknown client in enabled_clients: " + id,
                      "invalid_body");
    }
    return StatusError(client.status(), kNoConnection, kNoConnectionCode);
  }
  return std::nullopt;
}

http::Response List(MgmtContext& ctx, http::Request& req) {
  auto all = Repo(ctx).List();
  if (!all.ok()) return StatusError(all.status(), kNoConnection, kNoConnectionCode);
  auto strategy = req.query.Get("strategy");
  auto name = req.query.Get("name");
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : *all) {
    if (strategy && *strategy != connections::kStrategy) continue;
    if (name && *name != c.name) continue;
    out.push_back(c.ToApi());
  }
  if (!BoolParam(req, "include_totals")) return http::Response::Json(200, out);
  return http::Response::Json(200, {{"start", 0},
                                    {"limit", out.size()},
                                    {"length", out.size()},
                                    {"total", out.size()},
                                    {"connections", out}});
}

http::Response Create(MgmtContext& ctx, http::Request& req) {
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  connections::Connection c;
  if (Status s = connections::ApplyApiBody(body.json, true, c); !s.ok()) {
    return ApiError(400, s.message(), "invalid_body");
  }
  if (auto e = CheckClients(ctx, c)) return std::move(*e);
  auto created = Repo(ctx).Create(c);
  if (!created.ok()) {
    if (created.status().code() == ErrorCode::kAlreadyExists) {
      return ApiError(409, "A connection with the same name already exists", "connection_exists");
    }
    return StatusError(created.status(), kNoConnection, kNoConnectionCode);
  }
  return http::Response::Json(201, created->ToApi());
}

http::Response Get(MgmtContext& ctx, http::Request& req) {
  auto c = Repo(ctx).GetById(req.path_params["id"]);
  if (!c.ok()) return StatusError(c.status(), kNoConnection, kNoConnectionCode);
  return http::Response::Json(200, c->ToApi());
}

http::Response Patch(MgmtContext& ctx, http::Request& req) {
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  auto repo = Repo(ctx);
  auto current = repo.GetById(req.path_params["id"]);
  if (!current.ok()) return StatusError(current.status(), kNoConnection, kNoConnectionCode);
  connections::Connection c = *current;
  if (Status s = connections::ApplyApiBody(body.json, false, c); !s.ok()) {
    return ApiError(400, s.message(), "invalid_body");
  }
  if (auto e = CheckClients(ctx, c)) return std::move(*e);
  // A lost compare-and-set is 503 (retry), as for every API write.
  auto updated = repo.Update(c);
  if (!updated.ok()) return StatusError(updated.status(), kNoConnection, kNoConnectionCode);
  return http::Response::Json(200, updated->ToApi());
}

http::Response Delete(MgmtContext& ctx, http::Request& req) {
  Status s = Repo(ctx).Delete(req.path_params["id"]);
  if (!s.ok()) return StatusError(s, kNoConnection, kNoConnectionCode);
  http::Response res;
  res.status = 204;
  return res;
}

}  // namespace

void RegisterConnectionRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx) {
  auto bind = [ctx](http::Response (*fn)(MgmtContext&, http::Request&)) {
    return [ctx, fn](http::Request& req, const Principal&) { return fn(*ctx, req); };
  };
  AddApiRoute(router, ctx, "GET", "/api/v2/connections", "read:connections", "Get connections",
              bind(List));
  AddApiRoute(router, ctx, "POST", "/api/v2/connections", "create:connections",
              "Create a connection", bind(Create));
  AddApiRoute(router, ctx, "GET", "/api/v2/connections/:id", "read:connections", "Get a connection",
              bind(Get));
  AddApiRoute(router, ctx, "PATCH", "/api/v2/connections/:id", "update:connections",
              "Update a connection", bind(Patch));
  AddApiRoute(router, ctx, "DELETE", "/api/v2/connections/:id", "delete:connections",
              "Delete a connection", bind(Delete));
}

}  // namespace gatehouse::mgmt
