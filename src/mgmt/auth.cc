#include "mgmt/auth.h"

#include <algorithm>

#include "jose/jwt.h"
#include "mgmt/api_error.h"
#include "oauth/admin_access.h"
#include "oauth/issuer.h"

namespace gatehouse::mgmt {

bool Principal::Has(const std::string& scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::variant<Principal, http::Response> Authenticate(const http::Request& request,
                                                     const MgmtDeps& deps) {
  auto header = request.Header("Authorization");
  if (!header || header->empty()) return ApiError(401, "Missing authentication", "");
  constexpr std::string_view kBearer = "bearer ";
  if (header->size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), header->begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return ApiError(401, "Bad HTTP authentication header format", "invalid_token");
  }
  std::string token = header->substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.erase(token.begin());

  const std::string issuer = oauth::IssuerFor(request);
  jose::JwtValidation rules;
  rules.issuer = issuer;
  rules.audience = issuer + "api/v2/";
  rules.leeway = std::chrono::seconds(0);
  rules.jws.require_kid = true;
  jose::KeyStore& keys = deps.keys;
  jose::KeyLookup lookup = [&keys](std::string_view kid) -> Result<jose::VerificationKey> {
    GH_ASSIGN_OR_RETURN(auto pk, keys.Lookup(kid));
    return jose::VerificationKey::Public(std::move(pk));
  };
  auto jwt = jose::VerifyJwt(token, jose::Alg::kRS256, lookup, rules, deps.clock);
  if (!jwt.ok()) {
    if (jwt.status().code() == ErrorCode::kExpired) {
      return ApiError(401, "Expired token received for JSON Web Token validation", "invalid_token");
    }
    if (jwt.status().message().find("aud") != std::string::npos) {
      return ApiError(401, "Bad audience: token is not for the Management API", "invalid_token");
    }
    return ApiError(401, "Invalid token", "invalid_token");
  }
  const auto& claims = jwt->claims;
  if (!claims.contains("sub") || !claims["sub"].is_string()) {
    return ApiError(401, "Invalid token", "invalid_token");
  }
  Principal p;
  std::string sub = claims["sub"].get<std::string>();
  if (claims.value("gty", "") == "client-credentials") {
    constexpr std::string_view kSuffix = "@clients";
    if (sub.size() > kSuffix.size() && sub.ends_with(kSuffix)) {
      sub.resize(sub.size() - kSuffix.size());
    }
    p.client_id = sub;
  } else {
    // A user's token: only the admin dashboard's, only for a user who is an
    // administrator now (admin_access.h). Any other user token could carry
    // this audience and any scope string it asked for at /authorize.
    const std::string azp =
        claims.contains("azp") && claims["azp"].is_string() ? claims["azp"].get<std::string>() : "";
    if (azp != oauth::kAdminClientId) {
      return ApiError(401, "Invalid token: not a client credentials token", "invalid_token");
    }
    auto user = deps.users.Get(sub);
    if (!user.ok() && user.status().code() != ErrorCode::kNotFound) {
      return StatusError(user.status(), "", "");
    }
    if (!user.ok() || !oauth::IsAdminUser(user->ToJson())) {
      return ApiError(401, "Invalid token: the user is not an administrator", "invalid_token");
    }
    p.client_id = azp;
    p.user_id = sub;
  }
  // The client's current grant bounds the token: deleting the client or
  // taking a scope away takes effect at once, not when the token expires.
  auto client = deps.clients.Get(p.client_id);
  if (!client.ok()) {
    if (client.status().code() == ErrorCode::kNotFound) {
      return ApiError(401, "Invalid token: the client no longer exists", "invalid_token");
    }
    return StatusError(client.status(), "", "");
  }
  if (claims.contains("scope") && claims["scope"].is_string()) {
    std::string s = claims["scope"].get<std::string>();
    size_t pos = 0;
    while (pos < s.size()) {
      size_t end = s.find(' ', pos);
      if (end == std::string::npos) end = s.size();
      std::string scope = s.substr(pos, end - pos);
      const auto& granted = client->management_scopes;
      if (!scope.empty() && std::find(granted.begin(), granted.end(), scope) != granted.end()) {
        p.scopes.push_back(std::move(scope));
      }
      pos = end + 1;
    }
  }
  return p;
}

}  // namespace gatehouse::mgmt
