#include "oauth/discovery.h"

#include <mutex>

namespace gatehouse::oauth {

nlohmann::json DiscoveryDocument(const std::string& issuer) {
  return {
      {"issuer", issuer},
      {"authorization_endpoint", issuer + "authorize"},
      {"token_endpoint", issuer + "oauth/token"},
      {"userinfo_endpoint", issuer + "userinfo"},
      {"jwks_uri", issuer + ".well-known/jwks.json"},
      {"revocation_endpoint", issuer + "oauth/revoke"},
      {"end_session_endpoint", issuer + "v2/logout"},
      {"response_types_supported", {"code"}},
      {"response_modes_supported", {"query", "fragment", "form_post"}},
      {"grant_types_supported",
       {"authorization_code", "refresh_token", "client_credentials", "password"}},
      {"subject_types_supported", {"public"}},
      {"id_token_signing_alg_values_supported", {"RS256", "ES256"}},
      {"scopes_supported", {"openid", "profile", "email", "offline_access"}},
      {"token_endpoint_auth_methods_supported",
       {"client_secret_basic", "client_secret_post", "none"}},
      {"revocation_endpoint_auth_methods_supported",
       {"client_secret_basic", "client_secret_post", "none"}},
      {"code_challenge_methods_supported", {"S256"}},
      {"claims_supported",
       {"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "azp", "at_hash", "sid", "name",
        "nickname", "given_name", "family_name", "picture", "updated_at", "email",
        "email_verified"}},
      {"request_parameter_supported", false},
      {"request_uri_parameter_supported", false},
      {"authorization_response_iss_parameter_supported", true},
  };
}

std::string DiscoveryCache::Body(const std::string& issuer) {
  {
    std::shared_lock lock(mu_);
    if (auto it = bodies_.find(issuer); it != bodies_.end()) return it->second;
  }
  std::string body = DiscoveryDocument(issuer).dump();
  std::unique_lock lock(mu_);
  if (bodies_.size() < kMaxIssuers) bodies_.emplace(issuer, body);
  return body;
}

}  // namespace gatehouse::oauth
