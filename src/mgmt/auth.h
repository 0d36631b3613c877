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
  std::string client_id;  // the token's sub without "@clients"
  std::vector<std::string> scopes;
  bool Has(const std::string& scope) const;
};

// Verifies `Authorization: Bearer <jwt>`: RS256 only, a kid from our key
// store, iss = the request's issuer, aud contains "<issuer>api/v2/", not
// expired (no leeway), gty "client-credentials" (never a user's token), and
// the client still exists; the principal's scopes are the token's scopes that
// the client is still granted. Returns the principal, or the 401 response to
// send (missing header, malformed, bad signature, wrong issuer/audience,
// expired, not a client token, client deleted).
std::variant<Principal, http::Response> Authenticate(const http::Request& request,
                                                     const MgmtDeps& deps);

}  // namespace gatehouse::mgmt
