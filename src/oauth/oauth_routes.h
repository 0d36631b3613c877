#pragma once
// Registers the OAuth/OIDC endpoints that are not part of the browser login
// flow: discovery, JWKS, /oauth/token, /userinfo, /oauth/revoke.

#include <cstdint>

#include "accounts/user_service.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/router.h"
#include "jose/key_store.h"
#include "oauth/client_registry.h"
#include "oauth/login_pipeline.h"
#include "storage/storage.h"

namespace gatehouse::oauth {

struct TokenOptions {
  int64_t access_token_seconds = 86400;  // Auth0's default
  int64_t id_token_seconds = 36000;      // Auth0's default
  int64_t refresh_idle_seconds = 15 * 86400;
  int64_t refresh_absolute_seconds = 30 * 86400;
  std::string id_token_alg = "RS256";  // "RS256" | "ES256" (per client later)
  // Seals access tokens issued without an API audience (MintOptions).
  std::string access_token_key;
};

struct OAuthDeps {
  storage::Storage& storage;
  jose::KeyStore& keys;
  accounts::UserService& users;
  ClientRegistry& clients;
  LoginPipeline& pipeline;
  Clock& clock;
  Random& random;
  TokenOptions tokens;
};

// `deps` must outlive the router.
void RegisterOAuthRoutes(http::Router& router, OAuthDeps deps);

}  // namespace gatehouse::oauth
