#pragma once
// Compact JWS (RFC 7515 §7.1): sign, and verify with the algorithm pinned by
// the caller. The token's own "alg" never chooses how it is checked.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "jose/algorithm.h"
#include "jose/signing_key.h"
#include "jose/verification_key.h"

namespace gatehouse::jose {

inline constexpr size_t kDefaultMaxTokenBytes = 16 * 1024;

struct JwsVerifyOptions {
  // Longer tokens are refused before any decoding (ResourceExhausted).
  size_t max_token_bytes = kDefaultMaxTokenBytes;
  // When true a token without a string "kid" is refused (Unauthenticated);
  // use it when keys are looked up by kid (our own signing keys).
  bool require_kid = false;
};

struct VerifiedJws {
  nlohmann::json header;  // a JSON object
  std::string payload;    // the decoded payload bytes
};

// Signs `payload` as a compact JWS. The header is `header_extra` (a JSON object,
// or null for none) plus "alg" from `key` and "kid" when the key has one and
// `header_extra` does not. InvalidArgument if `header_extra` is not an object
// or null, or tries to set a different "alg", "crit" or "b64". Thread-safe.
Result<std::string> Sign(const nlohmann::json& header_extra, std::string_view payload,
                         const SigningKey& key);

// Verifies a compact JWS whose header "alg" must equal `expected_alg` exactly.
// Errors (never exceptions):
//   ResourceExhausted  longer than options.max_token_bytes;
//   InvalidArgument    not exactly three parts, malformed base64url (padding,
//                      '+', '/', whitespace), header not a JSON object, "alg" or
//                      "kid" not a string, "crit" present, "b64" present and not
//                      true (RFC 7797 unencoded payloads are not supported);
//   Unauthenticated    alg differs from `expected_alg` (so "none" in any casing
//                      and algorithm confusion are refused), kid required but
//                      absent, unknown kid (lookup NotFound), key of the wrong
//                      type for the algorithm, or a signature that does not
//                      verify;
//   other              the lookup's own error (e.g. Unavailable).
// A payload that is not JSON is not an error here (see jwt.h). Thread-safe if
// `lookup` is.
Result<VerifiedJws> Verify(std::string_view token, Alg expected_alg, const KeyLookup& lookup,
                           const JwsVerifyOptions& options = {});

}  // namespace gatehouse::jose
