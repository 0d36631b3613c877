#pragma once
// The built-in admin dashboard's access rules (docs/admin.md). The dashboard
// at /admin is a public client, "gatehouse-admin", that signs users in with
// the authorization code flow + PKCE and asks for the Management API audience.
// Only this client may ask for that audience at /authorize, and only users the
// operator marked as administrators (app_metadata.gatehouse_admin === true,
// set by `gatehouse admins add`) may finish such a login; the Management API
// checks the same again on every call.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "oauth/client_registry.h"
#include "storage/storage.h"

namespace gatehouse::oauth {

inline constexpr char kAdminClientId[] = "gatehouse-admin";
// The app_metadata key that marks an administrator.
inline constexpr char kAdminFlag[] = "gatehouse_admin";

// True for "<anything>/api/v2/": the Management API audience of any of our
// domains.
bool IsManagementAudience(std::string_view audience);

// True when `user` (accounts::User::ToJson shape) has app_metadata.gatehouse_admin
// exactly `true` and is not blocked. Anything else (absent, "true", 1) is false.
bool IsAdminUser(const nlohmann::json& user);

// The admin client as it should be: public SPA, authorization_code only (no
// refresh tokens, no password grant), one callback "<scheme>://<domain>/admin/"
// per domain, every scope in `management_scopes` (the ceiling of what an
// admin's token may do).
Client AdminClientSpec(const std::vector<std::string>& domains, bool tls,
                       const std::vector<std::string>& management_scopes);

// Creates the admin client when absent, or rewrites it to AdminClientSpec
// (keeping created_at) when present, so a changed domain list takes effect at
// start-up. Errors: the storage's.
Status EnsureAdminClient(storage::Storage& storage, ClientRegistry& clients, const Client& spec);

}  // namespace gatehouse::oauth
