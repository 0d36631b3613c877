#pragma once
// JWT (RFC 7519) on top of compact JWS: signing a claims object, and
// verifying signature plus the registered time, issuer and audience claims.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "jose/jws.h"

namespace gatehouse::jose {

struct JwtValidation {
  // Exact, case-sensitive match of "iss" when non-empty.
  std::string issuer;
  // When non-empty, "aud" must equal it (string) or contain it (array).
  std::string audience;
  // Allowed clock skew for exp, nbf and max_age.
  std::chrono::seconds leeway{60};
  // A token without "exp" is refused unless this is false.
  bool require_exp = true;
  // When set, "iat" is required and must be no older than this.
  std::optional<std::chrono::seconds> max_age;
  JwsVerifyOptions jws;
};

struct VerifiedJwt {
  nlohmann::json header;  // JSON object
  nlohmann::json claims;  // JSON object
};

// Signs `claims` (a JSON object) as a JWT; the header gets "typ":"JWT" unless
// `header_extra` sets typ. InvalidArgument when claims is not an object (or as
// jws.h Sign). Thread-safe.
Result<std::string> SignJwt(const nlohmann::json& claims, const SigningKey& key,
                            const nlohmann::json& header_extra = nullptr);

// Checks the registered claims of an already verified token against `rules`
// at `clock`'s time. Numeric dates may be integers or fractions.
//   InvalidArgument  claims not an object, exp/nbf/iat not numbers, iss not a
//                    string, aud not a string or array of strings;
//   Expired          now >= exp + leeway, or iat older than max_age + leeway;
//   Unauthenticated  exp required but absent, iat absent with max_age set,
//                    now + leeway < nbf, iss or aud mismatch.
// Claims not named here (sub, jti, custom ones) are not checked.
Status ValidateClaims(const nlohmann::json& claims, const JwtValidation& rules, const Clock& clock);

// Verify (jws.h, with `expected_alg` pinned) + payload must be a JSON object +
// ValidateClaims. Errors as those functions; a payload that is not a JSON
// object is InvalidArgument. Thread-safe if `lookup` is.
Result<VerifiedJwt> VerifyJwt(std::string_view token, Alg expected_alg, const KeyLookup& lookup,
                              const JwtValidation& rules, const Clock& clock);

}  // namespace gatehouse::jose
