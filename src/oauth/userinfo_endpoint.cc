#include "oauth/userinfo_endpoint.h"

#include <algorithm>
#include <chrono>

#include "core/logging.h"
#include "http/headers.h"
#include "jose/jwt.h"
#include "oauth/issuer.h"
#include "oauth/opaque_access_token.h"
#include "oauth/scope.h"

namespace gatehouse::oauth {
namespace {

http::Response BearerError(int status, const std::string& code, const std::string& description) {
  http::Response res;
  if (code.empty()) {
    // RFC 6750 §3.1: no error code when the request carried no token at all.
    res = http::Response::Json(
        status, nlohmann::json{{"error", "invalid_request"}, {"error_description", description}});
    res.SetHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
  } else {
    res = http::Response::Error(status, code, description);
    res.SetHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\", error=\"" + code +
                                          "\", error_description=\"" + description + "\"");
  }
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("Pragma", "no-cache");
  return res;
}

http::Response InvalidToken(const std::string& debug) {
  log::Info("userinfo refused", {{"debug", debug}});
  return BearerError(401, "invalid_token", "The access token is invalid");
}

// The claims of an access token for `issuer`'s userinfo audience: an opaque
// token sealed by this server, or an RS256 JWT (issued with an API audience
// and "openid"). Errors say why, for the log only.
Result<nlohmann::json> VerifyAccessToken(OAuthContext& ctx, const std::string& token,
                                         const std::string& issuer) {
  const std::string audience = issuer + "userinfo";
  if (IsOpaqueAccessToken(token)) {
    if (ctx.mint.access_token_key.empty()) return InvalidArgument("opaque tokens are not issued");
    GH_ASSIGN_OR_RETURN(nlohmann::json claims, OpenAccessToken(token, ctx.mint.access_token_key));
    // The seal proves we issued it; these bind it to this domain and time.
    // No leeway: the token was issued by this very clock.
    auto exp = claims.find("exp");
    if (exp == claims.end() || !exp->is_number_integer() ||
        exp->get<int64_t>() <= ctx.deps.clock.NowSeconds()) {
      return InvalidArgument("opaque token expired");
    }
    if (claims.value("iss", "") != issuer) {
      return InvalidArgument("opaque token for another issuer");
    }
    auto aud = claims.find("aud");
    if (aud == claims.end() || !aud->is_array() ||
        std::find(aud->begin(), aud->end(), audience) == aud->end()) {
      return InvalidArgument("opaque token for another audience");
    }
    return claims;
  }
  jose::JwtValidation rules;
  rules.issuer = issuer;
  rules.audience = audience;
  rules.leeway = std::chrono::seconds(0);
  rules.jws.require_kid = true;
  jose::KeyStore& keys = ctx.deps.keys;
  jose::KeyLookup lookup = [&keys](std::string_view kid) -> Result<jose::VerificationKey> {
    GH_ASSIGN_OR_RETURN(auto pk, keys.Lookup(kid));
    return jose::VerificationKey::Public(std::move(pk));
  };
  GH_ASSIGN_OR_RETURN(auto jwt,
                      jose::VerifyJwt(token, jose::Alg::kRS256, lookup, rules, ctx.deps.clock));
  return std::move(jwt.claims);
}

}  // namespace

http::Response HandleUserinfo(OAuthContext& ctx, http::Request& request) {
  std::optional<std::string> token;
  if (auto authz = request.Header("Authorization")) {
    std::string_view v = *authz;
    if (v.size() < 7 || !http::EqualsIgnoreCase(v.substr(0, 7), "Bearer ")) {
      return BearerError(401, "invalid_request", "Use the Bearer authorization scheme");
    }
    token = std::string(v.substr(7));
  }
  if (request.method == "POST" && http::ToLower(request.Header("Content-Type").value_or(""))
                                          .rfind("application/x-www-form-urlencoded", 0) == 0) {
    auto form = request.Form();
    if (!form.ok()) return BearerError(400, "invalid_request", "Malformed form body");
    auto fields = form->GetAll("access_token");
    if (fields.size() > 1 || (fields.size() == 1 && token)) {
      return BearerError(400, "invalid_request", "Send the access token once");
    }
    if (fields.size() == 1) token = fields.front();
  }
  if (!token || token->empty()) return BearerError(401, "", "Missing access token");

  const std::string issuer = IssuerFor(request);
  auto verified = VerifyAccessToken(ctx, *token, issuer);
  if (!verified.ok()) return InvalidToken(verified.status().ToString());
  const nlohmann::json& claims = *verified;
  if (!claims.contains("sub") || !claims["sub"].is_string()) return InvalidToken("no sub");
  std::string scope = claims.value("scope", "");
  if (!claims.contains(kGrantClaim) || !claims[kGrantClaim].is_string()) {
    return InvalidToken("token without a grant (not issued for a user)");
  }
  auto grant = ctx.grants.Get(claims[kGrantClaim].get<std::string>());
  if (!grant.ok()) {
    if (grant.status().code() != ErrorCode::kNotFound) return ServerError(grant.status());
    return InvalidToken("grant gone");
  }
  if (grant->revoked) return InvalidToken("grant revoked");
  if (!ScopeHas(scope, "openid")) {
    return BearerError(403, "insufficient_scope", "The access token lacks the openid scope");
  }
  auto user = ctx.deps.users.Get(claims["sub"].get<std::string>());
  if (!user.ok()) {
    if (user.status().code() != ErrorCode::kNotFound) return ServerError(user.status());
    return InvalidToken("user gone");
  }
  if (user->record.blocked) return InvalidToken("user blocked");

  nlohmann::json body = ProfileClaims(user->ToJson(), scope);
  body["sub"] = user->user_id();
  http::Response res = http::Response::Json(200, body);
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("Pragma", "no-cache");
  return res;
}

}  // namespace gatehouse::oauth
