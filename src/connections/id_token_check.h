#pragma once
// The checks an OpenID Connect relying party makes on an upstream ID token
// (OIDC Core §3.1.3.7), with the algorithm pinned to what the provider's
// discovery document lists and Gatehouse can verify (RS256, ES256): the
// token's own "alg" never picks a weaker check.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "jose/verification_key.h"

namespace gatehouse::connections {

struct IdTokenExpectations {
  std::string issuer;     // exact match of "iss"
  std::string client_id;  // must be in "aud"; "azp", when present, must equal it
  std::string nonce;      // exact match of "nonce" (required)
  // The provider's id_token_signing_alg_values_supported (empty: RS256, the
  // OIDC default). Only RS256 and ES256 of these are accepted.
  std::vector<std::string> allowed_algs;
  int64_t leeway_seconds = 60;
  int64_t max_age_seconds = 600;  // "iat" no older than this (plus leeway)
};

// The verified claims (a JSON object with a non-empty string "sub").
// Errors, each with a message for logs (never shown to the user verbatim):
//   Unauthenticated  alg not allowed, unknown kid / bad signature, iss, aud,
//                    azp or nonce mismatch, missing sub/nonce/iat/exp
//   Expired          exp passed or iat too old
//   InvalidArgument  not a compact JWS, or malformed claims
//   other            the key lookup's own error (e.g. Unavailable JWKS)
// Thread-safe if `lookup` is.
Result<nlohmann::json> CheckIdToken(std::string_view token, const IdTokenExpectations& expect,
                                    const jose::KeyLookup& lookup, const Clock& clock);

}  // namespace gatehouse::connections
