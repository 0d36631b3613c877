#include "oauth/admin_access.h"

#include <chrono>

namespace gatehouse::oauth {

bool IsManagementAudience(std::string_view audience) { return audience.ends_with("/api/v2/"); }

bool IsAdminUser(const nlohmann::json& user) {
  if (!user.is_object()) return false;
  if (user.value("blocked", false) == true) return false;
  auto app = user.find("app_metadata");
  if (app == user.end() || !app->is_object()) return false;
  auto flag = app->find(kAdminFlag);
  return flag != app->end() && flag->is_boolean() && flag->get<bool>();
}

Client AdminClientSpec(const std::vector<std::string>& domains, bool tls,
                       const std::vector<std::string>& management_scopes) {
  Client c;
  c.client_id = kAdminClientId;
  c.name = "Gatehouse Admin Dashboard";
  c.description = "Built in: the dashboard at /admin (administrators only).";
  c.app_type = "spa";
  c.token_endpoint_auth_method = "none";
  c.grant_types = {"authorization_code"};
  for (const auto& d : domains) {
    c.callbacks.push_back(std::string(tls ? "https://" : "http://") + d + "/admin/");
  }
  c.allowed_logout_urls = c.callbacks;
  c.management_scopes = management_scopes;
  return c;
}

Status EnsureAdminClient(storage::Storage& storage, ClientRegistry& clients, const Client& spec) {
  auto current = clients.Get(spec.client_id);
  if (current.ok()) {
    Client next = spec;
    next.created_at_ms = current->created_at_ms;
    next.version = current->version;
    return clients.Update(next).status();
  }
  if (current.status().code() != ErrorCode::kNotFound) return current.status();
  // The registry assigns random ids; the dashboard needs a fixed, well-known one.
  Client c = spec;
  c.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  auto created =
      storage.records().Create("client", c.client_id, c.ToStoredJson().dump(), std::nullopt);
  if (!created.ok() && created.status().code() == ErrorCode::kAlreadyExists) {
    return Status::Ok();  // another node made it at the same moment
  }
  return created.status();
}

}  // namespace gatehouse::oauth
