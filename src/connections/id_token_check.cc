#include "connections/id_token_check.h"

#include <algorithm>

#include "core/base64url.h"
#include "jose/jwt.h"

namespace gatehouse::connections {
namespace {

using nlohmann::json;

// The header's "alg" before verification: only to choose among the pinned
// algorithms, never trusted on its own.
Result<std::string> HeaderAlg(std::string_view token) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos) return InvalidArgument("ID token is not a compact JWS");
  auto bytes = Base64UrlDecode(token.substr(0, dot));
  if (!bytes) return InvalidArgument("ID token header is not base64url");
  json header = json::parse(*bytes, nullptr, false);
  if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string()) {
    return InvalidArgument("ID token header has no alg");
  }
  return header["alg"].get<std::string>();
}

}  // namespace

Result<json> CheckIdToken(std::string_view token, const IdTokenExpectations& expect,
                          const jose::KeyLookup& lookup, const Clock& clock) {
  GH_ASSIGN_OR_RETURN(std::string alg_name, HeaderAlg(token));
  std::vector<std::string> allowed =
      expect.allowed_algs.empty() ? std::vector<std::string>{"RS256"} : expect.allowed_algs;
  auto alg = jose::ParseAlg(alg_name);
  bool listed = std::find(allowed.begin(), allowed.end(), alg_name) != allowed.end();
  // HMAC ID tokens would be keyed with the client secret; we never accept them.
  if (!alg || !listed || jose::IsHmac(*alg)) {
    return Unauthenticated("ID token alg " + alg_name + " is not allowed for this provider");
  }
  jose::JwtValidation rules;
  rules.issuer = expect.issuer;
  rules.audience = expect.client_id;
  rules.leeway = std::chrono::seconds(expect.leeway_seconds);
  rules.require_exp = true;
  rules.max_age = std::chrono::seconds(expect.max_age_seconds);
  GH_ASSIGN_OR_RETURN(jose::VerifiedJwt jwt, jose::VerifyJwt(token, *alg, lookup, rules, clock));
  const json& claims = jwt.claims;
  if (!claims.contains("sub") || !claims["sub"].is_string() ||
      claims["sub"].get<std::string>().empty() || claims["sub"].get<std::string>().size() > 255) {
    return Unauthenticated("ID token has no usable sub");
  }
  if (claims.contains("azp") &&
      (!claims["azp"].is_string() || claims["azp"].get<std::string>() != expect.client_id)) {
    return Unauthenticated("ID token azp is not our client id");
  }
  if (claims.contains("aud") && claims["aud"].is_array() && claims["aud"].size() > 1 &&
      !claims.contains("azp")) {
    return Unauthenticated("ID token with several audiences has no azp");
  }
  if (!claims.contains("nonce") || !claims["nonce"].is_string() ||
      claims["nonce"].get<std::string>() != expect.nonce || expect.nonce.empty()) {
    return Unauthenticated("ID token nonce does not match the login's");
  }
  return claims;
}

}  // namespace gatehouse::connections
