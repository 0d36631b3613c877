#pragma once
// Internal to mgmt: Bearer token authentication of Management API calls.

#include <string>
#include <variant>
#include <vector>

#include "http/request.h"
#include "http/response.h"
#include "mgmt/mgmt_routes.h"

namespace gatehouse::mgmt {

struct Principal {
  std::string client_id;  // the token's sub without "@clients" (or the admin client's id)
  std::string user_id;    // the administrator, for the admin dashboard's tokens; else ""
  std::vector<std::string> scopes;
  bool Has(const std::string& scope) const;
};

// Verifies `Authorization: Bearer <jwt>`: RS256 only, a kid from our key
// store, iss = the request's issuer, aud contains "<issuer>api/v2/", not
// expired (no leeway), gty "client-credentials" -- or else a user token of the
// built-in admin client (azp "gatehouse-admin") whose user is an administrator
// now (oauth/admin_access.h) -- and the client still exists; the principal's
// scopes are the token's scopes that the client is still granted. Returns the
// principal, or the 401 response to send (missing header, malformed, bad
// signature, wrong issuer/audience, expired, not a client or administrator
// token, client deleted).
std::variant<Principal, http::Response> Authenticate(const http::Request& request,
                                                     const MgmtDeps& deps);

}  // namespace gatehouse::mgmt
