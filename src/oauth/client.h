#pragma once
// A registered OAuth client (application), Auth0-shaped.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::oauth {

struct Client {
  std::string client_id;  // 32 random base64url chars
  std::string name;
  std::string description;
  // "regular_web" | "spa" | "native" | "non_interactive" (machine-to-machine)
  std::string app_type = "regular_web";
  // "client_secret_basic" | "client_secret_post" | "none" (public: PKCE required)
  std::string token_endpoint_auth_method = "client_secret_basic";
  std::string secret_hash;             // SHA-256 of the secret, hex (secrets are 256-bit random)
  std::vector<std::string> callbacks;  // registered redirect_uris, matched byte-exact
  std::vector<std::string> allowed_logout_urls;  // returnTo allow-list for /v2/logout
  std::vector<std::string> web_origins;
  // Subset of authorization_code, refresh_token, client_credentials, password.
  std::vector<std::string> grant_types = {"authorization_code", "refresh_token"};
  bool is_first_party = true;
  nlohmann::json client_metadata = nlohmann::json::object();  // string values only
  // Management API scopes granted to this client's client_credentials tokens
  // for the audience https://<domain>/api/v2/ (empty: no Management API access).
  std::vector<std::string> management_scopes;
  // Audience of client_credentials tokens when the request names none ("" = required).
  std::string default_audience;
  // JWS alg of this client's ID tokens (OIDC Dynamic Registration's
  // id_token_signed_response_alg): "RS256" | "ES256", "" = the server default.
  std::string id_token_signed_response_alg;
  int64_t created_at_ms = 0;
  int64_t version = 0;

  bool IsPublic() const { return token_endpoint_auth_method == "none"; }
  bool AllowsGrant(std::string_view grant) const;
  // The Auth0 Management API shape; never the secret or its hash.
  nlohmann::json ToJson() const;

  // The storage payload (record kind "client"): ToJson() plus secret_hash,
  // management_scopes, default_audience and created_at_ms. `version` is the record's, not stored.
  nlohmann::json ToStoredJson() const;
  // Inverse of ToStoredJson; InvalidArgument for a payload of the wrong shape.
  static Result<Client> FromStoredJson(const nlohmann::json& j);
};

}  // namespace gatehouse::oauth
