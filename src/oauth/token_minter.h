#pragma once
// Builds the JSON body of a successful token response (RFC 6749 §5.1, OIDC
// Core §3.1.3.3): the access token, an ID token when "openid" was granted,
// and the refresh token the grant already created (if any). The access token
// is an RS256 JWT when an API audience was requested (or for
// client_credentials), and otherwise an opaque token good only at /userinfo
// (oauth/opaque_access_token.h), as Auth0 issues them.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "jose/key_store.h"
#include "oauth/client.h"

namespace gatehouse::oauth {

struct MintInput {
  std::string issuer;
  const Client* client = nullptr;
  std::string subject;   // user_id, or "<client_id>@clients" for client_credentials
  std::string scope;     // granted, space-separated
  std::string audience;  // "" = none (the userinfo audience only)
  std::string grant_id;  // "" when the token has no grant (client_credentials)
  bool client_credentials = false;
  // The user profile (accounts::User::ToJson shape, possibly changed by rules);
  // the source of the ID token's profile claims. Null for client_credentials.
  nlohmann::json user;
  std::string nonce;
  int64_t auth_time = 0;
  std::string session_id;
  nlohmann::json id_token_claims = nlohmann::json::object();
  nlohmann::json access_token_claims = nlohmann::json::object();
  std::string refresh_token;  // "" = none
};

struct MintOptions {
  int64_t access_token_seconds = 86400;
  int64_t id_token_seconds = 36000;
  // The ID token alg of clients that do not set id_token_signed_response_alg.
  std::string id_token_alg = "RS256";
  // Seals the opaque userinfo-only access tokens. Empty: every access token
  // is an RS256 JWT (tests that have no server secrets).
  std::string access_token_key;
};

// The profile claims `scope` allows from `user` (profile: name, nickname,
// given_name, family_name, picture, updated_at; email: email, email_verified).
// Absent or null members are left out. Shared with /userinfo.
nlohmann::json ProfileClaims(const nlohmann::json& user, const std::string& scope);

// Thread-safe. Errors: the key store's (no active key), or Internal.
Result<nlohmann::json> MintTokenResponse(const MintInput& in, const MintOptions& options,
                                         jose::KeyStore& keys, Clock& clock, Random& random);

}  // namespace gatehouse::oauth
