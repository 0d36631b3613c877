// /api/v2/users and /api/v2/users-by-email (SPEC §5.1, §5.2).

#include <set>

#include "accounts/user_service.h"
#include "connections/federated_users.h"
#include "mgmt/api_error.h"
#include "mgmt/context.h"

namespace gatehouse::mgmt {
namespace {

constexpr char kNoUser[] = "The user does not exist.";
constexpr char kNoUserCode[] = "inexistent_user";

// Fields a PATCH may carry. Everything else, read-only fields included
// (user_id, created_at, logins_count, identities, ...), is refused with 400
// rather than silently ignored.
const std::set<std::string>& PatchableFields() {
  static const std::set<std::string> k = {
      "user_metadata",  "app_metadata", "password", "connection",   "email",
      "email_verified", "name",         "nickname", "given_name",   "family_name",
      "picture",        "blocked",      "username", "verify_email", "client_id"};
  return k;
}

const std::set<std::string>& CreatableFields() {
  static const std::set<std::string> k = {
      "email",         "password",     "connection",   "username", "name",
      "nickname",      "given_name",   "family_name",  "picture",  "email_verified",
      "user_metadata", "app_metadata", "verify_email", "blocked"};
  return k;
}

std::optional<http::Response> CheckFields(const nlohmann::json& body,
                                          const std::set<std::string>& allowed) {
  for (const auto& [key, value] : body.items()) {
    if (!allowed.count(key)) {
      return ApiError(400,
                      "Payload validation error: 'Additional properties not allowed: " + key + "'.",
                      "invalid_body");
    }
  }
  return std::nullopt;
}

std::optional<http::Response> TypeError(const std::string& field, const char* type) {
  return ApiError(400,
                  "Payload validation error: 'Expected type " + std::string(type) +
                      "' on property " + field + ".",
                  "invalid_body");
}

// Every string/bool field present must have its type; metadata must be an
// object (or null on PATCH).
std::optional<http::Response> CheckTypes(const nlohmann::json& body) {
  static const char* kStrings[] = {"email",   "password", "connection", "username",
                                   "name",    "nickname", "given_name", "family_name",
                                   "picture", "client_id"};
  static const char* kBools[] = {"email_verified", "blocked", "verify_email"};
  for (const char* f : kStrings) {
    if (body.contains(f) && !body[f].is_string()) return TypeError(f, "string");
  }
  for (const char* f : kBools) {
    if (body.contains(f) && !body[f].is_boolean()) return TypeError(f, "boolean");
  }
  for (const char* f : {"user_metadata", "app_metadata"}) {
    if (body.contains(f) && !body[f].is_object() && !body[f].is_null()) {
      return TypeError(f, "object");
    }
  }
  if (body.contains("connection") &&
      body["connection"].get<std::string>() != accounts::kDatabaseConnection) {
    return ApiError(400, "The connection does not exist.", "inexistent_connection");
  }
  return std::nullopt;
}

// Auth0's `q` is Lucene; we support a plain term or one `field:"value"`
// (email, name, username, user_id...) as a substring search.
std::string SearchTerm(std::string q) {
  if (auto colon = q.find(':'); colon != std::string::npos) q = q.substr(colon + 1);
  std::string out;
  for (char c : q) {
    if (c != '"' && c != '*') out += c;
  }
  return out;
}

http::Response ListUsers(MgmtContext& ctx, http::Request& req) {
  auto page = IntParam(req, "page", 0, 0, 1000000);
  auto per_page = IntParam(req, "per_page", 50, 1, 100);
  if (!page || !per_page) {
    return ApiError(400, "Query validation error: page or per_page out of range",
                    "invalid_query_string");
  }
  const std::string qtext = req.query.Get("q").value_or("");
  if (qtext.rfind("user_id:", 0) == 0) {
    // An exact id lookup: ids are not in the substring index.
    nlohmann::json users = nlohmann::json::array();
    auto user = ctx.deps.users.Get(SearchTerm(qtext));
    if (user.ok()) users.push_back(user->ToJson());
    if (!user.ok() && user.status().code() != ErrorCode::kNotFound) {
      return StatusError(user.status(), kNoUser, kNoUserCode);
    }
    if (!BoolParam(req, "include_totals")) return http::Response::Json(200, users);
    return http::Response::Json(200, {{"start", 0},
                                      {"limit", *per_page},
                                      {"length", users.size()},
                                      {"total", users.size()},
                                      {"users", users}});
  }
  storage::UserQuery q;
  q.q = SearchTerm(qtext);
  q.page = *page;
  q.per_page = *per_page;
  auto result = ctx.deps.storage.users().List(q);
  if (!result.ok()) return StatusError(result.status(), kNoUser, kNoUserCode);
  nlohmann::json users = nlohmann::json::array();
  for (auto& r : result->users) users.push_back(accounts::User{std::move(r)}.ToJson());
  if (!BoolParam(req, "include_totals")) return http::Response::Json(200, users);
  return http::Response::Json(200, {{"start", *page * *per_page},
                                    {"limit", *per_page},
                                    {"length", users.size()},
                                    {"total", result->total},
                                    {"users", users}});
}

http::Response CreateUser(MgmtContext& ctx, http::Request& req) {
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  const auto& j = body.json;
  if (auto e = CheckFields(j, CreatableFields())) return std::move(*e);
  if (auto e = CheckTypes(j)) return std::move(*e);
  if (!j.contains("connection")) {
    return ApiError(400, "Payload validation error: 'Missing required property: connection'.",
                    "invalid_body");
  }
  if (!j.contains("password")) {
    return ApiError(400, "Payload validation error: 'Missing required property: password'.",
                    "invalid_body");
  }
  accounts::SignUpInput in;
  in.email = j.value("email", "");
  in.password = j.value("password", "");
  in.username = j.value("username", "");
  in.name = j.value("name", "");
  in.nickname = j.value("nickname", "");
  in.given_name = j.value("given_name", "");
  in.family_name = j.value("family_name", "");
  in.picture = j.value("picture", "");
  in.email_verified = j.value("email_verified", false);
  auto user = ctx.deps.users.SignUp(in);
  if (!user.ok()) {
    if (user.status().code() == ErrorCode::kAlreadyExists) {
      return ApiError(409, "The user already exists.", "auth0_idp_error");
    }
    return StatusError(user.status(), kNoUser, kNoUserCode);
  }
  nlohmann::json um = j.contains("user_metadata") ? j["user_metadata"] : nlohmann::json();
  nlohmann::json am = j.contains("app_metadata") ? j["app_metadata"] : nlohmann::json();
  if (!um.is_null() || !am.is_null()) {
    auto updated = ctx.deps.users.UpdateMetadata(user->user_id(), um, am);
    if (!updated.ok()) {
      (void)ctx.deps.storage.users().Delete(user->user_id());  // no half-created user
      return StatusError(updated.status(), kNoUser, kNoUserCode);
    }
    user = std::move(updated);
  }
  if (j.value("blocked", false)) {
    storage::UserRecord r = user->record;
    r.blocked = true;
    auto blocked = ctx.deps.storage.users().Update(r, r.version);
    if (blocked.ok()) user = accounts::User{std::move(*blocked)};
  }
  return http::Response::Json(201, user->ToJson());
}

http::Response GetUser(MgmtContext& ctx, http::Request& req) {
  auto user = ctx.deps.users.Get(req.path_params["id"]);
  if (!user.ok()) return StatusError(user.status(), kNoUser, kNoUserCode);
  nlohmann::json out = user->ToJson();
  // Upstream identities carry isSocial, profileData and linked identities (docs/connections.md).
  connections::FederatedUsers(ctx.deps.storage).AttachIdentities(out);
  return http::Response::Json(200, out);
}

// Applies the profile fields of `j` with compare-and-set, retrying when a
// concurrent write (e.g. a metadata merge) moved the version.
Status PatchProfile(MgmtContext& ctx, const std::string& id, const nlohmann::json& j) {
  static const char* kProfile[] = {"email",    "email_verified", "name",
                                   "nickname", "given_name",     "family_name",
                                   "picture",  "blocked",        "username"};
  bool any = false;
  for (const char* f : kProfile) any = any || j.contains(f);
  if (!any) return Status::Ok();
  for (int attempt = 0; attempt < 32; ++attempt) {
    GH_ASSIGN_OR_RETURN(auto r, ctx.deps.storage.users().Get(id));
    const int64_t version = r.version;
    if (j.contains("email")) {
      std::string email = j["email"].get<std::string>();
      if (email.empty() || email.find('@') == std::string::npos || email.find(' ') != email.npos) {
        return InvalidArgument(
            "Payload validation error: 'Object didn't pass validation for "
            "format email: " +
            email + "' on property email.");
      }
      r.email = email;
    }
    if (j.contains("email_verified")) r.email_verified = j["email_verified"].get<bool>();
    if (j.contains("name")) r.name = j["name"].get<std::string>();
    if (j.contains("nickname")) r.nickname = j["nickname"].get<std::string>();
    if (j.contains("given_name")) r.given_name = j["given_name"].get<std::string>();
    if (j.contains("family_name")) r.family_name = j["family_name"].get<std::string>();
    if (j.contains("picture")) r.picture = j["picture"].get<std::string>();
    if (j.contains("blocked")) r.blocked = j["blocked"].get<bool>();
    if (j.contains("username")) r.username = j["username"].get<std::string>();
    auto updated = ctx.deps.storage.users().Update(r, version);
    if (updated.ok()) return Status::Ok();
    if (updated.status().code() != ErrorCode::kConflict) return updated.status();
  }
  return Unavailable("user is contended");
}

http::Response PatchUser(MgmtContext& ctx, http::Request& req) {
  const std::string id = req.path_params["id"];
  auto body = ParseJsonBody(req, ctx.deps.options);
  if (body.error) return std::move(*body.error);
  const auto& j = body.json;
  if (auto e = CheckFields(j, PatchableFields())) return std::move(*e);
  if (auto e = CheckTypes(j)) return std::move(*e);
  // Existence first, so a bad id is 404 whatever the body.
  auto existing = ctx.deps.users.Get(id);
  if (!existing.ok()) return StatusError(existing.status(), kNoUser, kNoUserCode);

  if (Status s = PatchProfile(ctx, id, j); !s.ok()) {
    if (s.code() == ErrorCode::kAlreadyExists) {
      return ApiError(409, "The specified new email already exists", "auth0_idp_error");
    }
    return StatusError(s, kNoUser, kNoUserCode);
  }
  nlohmann::json um = j.contains("user_metadata") ? j["user_metadata"] : nlohmann::json();
  nlohmann::json am = j.contains("app_metadata") ? j["app_metadata"] : nlohmann::json();
  // An explicit null (or {}) for a whole metadata object is a no-op merge.
  if (um.is_object() || am.is_object()) {
    auto merged = ctx.deps.users.UpdateMetadata(id, um.is_object() ? um : nlohmann::json(),
                                                am.is_object() ? am : nlohmann::json());
    if (!merged.ok()) return StatusError(merged.status(), kNoUser, kNoUserCode);
  }
  if (j.contains("password")) {
    auto changed = ctx.deps.users.SetPassword(id, j["password"].get<std::string>());
    if (!changed.ok()) {
      if (changed.status().code() == ErrorCode::kInvalidArgument) {
        return ApiError(400, "PasswordStrengthError: " + changed.status().message(),
                        "invalid_body");
      }
      return StatusError(changed.status(), kNoUser, kNoUserCode);
    }
  }
  auto user = ctx.deps.users.Get(id);
  if (!user.ok()) return StatusError(user.status(), kNoUser, kNoUserCode);
  return http::Response::Json(200, user->ToJson());
}

http::Response DeleteUser(MgmtContext& ctx, http::Request& req) {
  Status s = ctx.deps.storage.users().Delete(req.path_params["id"]);
  if (!s.ok()) return StatusError(s, kNoUser, kNoUserCode);
  http::Response res;
  res.status = 204;
  return res;
}

http::Response UsersByEmail(MgmtContext& ctx, http::Request& req) {
  auto email = req.query.Get("email");
  if (!email || email->empty()) {
    return ApiError(400, "Query validation error: 'Missing required property: email'",
                    "invalid_query_string");
  }
  auto found = ctx.deps.storage.users().FindByEmail(*email);
  if (!found.ok()) return StatusError(found.status(), kNoUser, kNoUserCode);
  nlohmann::json out = nlohmann::json::array();
  for (auto& r : *found) out.push_back(accounts::User{std::move(r)}.ToJson());
  return http::Response::Json(200, out);
}

}  // namespace

void RegisterUserRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx) {
  auto bind = [ctx](http::Response (*fn)(MgmtContext&, http::Request&)) {
    return [ctx, fn](http::Request& req, const Principal&) { return fn(*ctx, req); };
  };
  AddApiRoute(router, ctx, "GET", "/api/v2/users", "read:users", "Get users", bind(ListUsers));
  AddApiRoute(router, ctx, "POST", "/api/v2/users", "create:users", "Create a User",
              bind(CreateUser));
  AddApiRoute(router, ctx, "GET", "/api/v2/users/:id", "read:users", "Get a User", bind(GetUser));
  AddApiRoute(router, ctx, "PATCH", "/api/v2/users/:id", "update:users", "Update a User",
              bind(PatchUser));
  AddApiRoute(router, ctx, "DELETE", "/api/v2/users/:id", "delete:users", "Delete a User",
              bind(DeleteUser));
  AddApiRoute(router, ctx, "GET", "/api/v2/users-by-email", "read:users", "Get users by email",
              bind(UsersByEmail));
}

}  // namespace gatehouse::mgmt
