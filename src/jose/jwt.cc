#include "jose/jwt.h"

namespace gatehouse::jose {
namespace {

// The numeric date `name`, nullopt if absent; InvalidArgument if present but
// not a number.
Result<std::optional<double>> NumericDate(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<double>();
  if (!it->is_number()) return InvalidArgument(std::string("JWT ") + name + " is not a number");
  return std::optional<double>(it->get<double>());
}

Status CheckAudience(const nlohmann::json& claims, const std::string& audience) {
  auto aud = claims.find("aud");
  if (aud == claims.end()) return Unauthenticated("JWT has no aud");
  if (aud->is_string()) {
    if (*aud == audience) return Status::Ok();
    return Unauthenticated("JWT aud mismatch");
  }
  if (!aud->is_array()) return InvalidArgument("JWT aud is neither a string nor an array");
  bool found = false;
  for (const auto& entry : *aud) {
    if (!entry.is_string()) return InvalidArgument("JWT aud array holds a non-string");
    if (entry == audience) found = true;
  }
  return found ? Status::Ok() : Unauthenticated("JWT aud mismatch");
}

}  // namespace

Result<std::string> SignJwt(const nlohmann::json& claims, const SigningKey& key,
                            const nlohmann::json& header_extra) {
  if (!claims.is_object()) return InvalidArgument("JWT claims must be a JSON object");
  if (!header_extra.is_null() && !header_extra.is_object()) {
    return InvalidArgument("JWS header must be a JSON object");
  }
  nlohmann::json header = header_extra.is_null() ? nlohmann::json::object() : header_extra;
  if (!header.contains("typ")) header["typ"] = "JWT";
  return Sign(header, claims.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), key);
}

Status ValidateClaims(const nlohmann::json& claims, const JwtValidation& rules,
                      const Clock& clock) {
  if (!claims.is_object()) return InvalidArgument("JWT claims are not a JSON object");
  const double now = static_cast<double>(clock.NowSeconds());
  const double leeway = static_cast<double>(rules.leeway.count());

  GH_ASSIGN_OR_RETURN(std::optional<double> exp, NumericDate(claims, "exp"));
  GH_ASSIGN_OR_RETURN(std::optional<double> nbf, NumericDate(claims, "nbf"));
  GH_ASSIGN_OR_RETURN(std::optional<double> iat, NumericDate(claims, "iat"));
  if (exp) {
    if (now >= *exp + leeway) return Expired("JWT expired");
  } else if (rules.require_exp) {
    return Unauthenticated("JWT has no exp");
  }
  if (nbf && now + leeway < *nbf) return Unauthenticated("JWT not yet valid (nbf)");
  if (rules.max_age) {
    if (!iat) return Unauthenticated("JWT has no iat but a max age applies");
    if (now - *iat > static_cast<double>(rules.max_age->count()) + leeway) {
      return Expired("JWT older than the max age");
    }
  }

  if (!rules.issuer.empty()) {
    auto iss = claims.find("iss");
    if (iss == claims.end()) return Unauthenticated("JWT has no iss");
    if (!iss->is_string()) return InvalidArgument("JWT iss is not a string");
    if (*iss != rules.issuer) return Unauthenticated("JWT iss mismatch");
  }
  if (!rules.audience.empty()) GH_RETURN_IF_ERROR(CheckAudience(claims, rules.audience));
  return Status::Ok();
}

Result<VerifiedJwt> VerifyJwt(std::string_view token, Alg expected_alg, const KeyLookup& lookup,
                              const JwtValidation& rules, const Clock& clock) {
  GH_ASSIGN_OR_RETURN(VerifiedJws jws, Verify(token, expected_alg, lookup, rules.jws));
  nlohmann::json claims = nlohmann::json::parse(jws.payload, nullptr, /*allow_exceptions=*/false);
  if (claims.is_discarded() || !claims.is_object()) {
    return InvalidArgument("JWT payload is not a JSON object");
  }
  GH_RETURN_IF_ERROR(ValidateClaims(claims, rules, clock));
  return VerifiedJwt{std::move(jws.header), std::move(claims)};
}

}  // namespace gatehouse::jose
