#include "oauth/userinfo_endpoint.h"

#include <chrono>

#include "core/logging.h"
#include "http/headers.h"
#include "jose/jwt.h"
#include "oauth/issuer.h"
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
  jose::JwtValidation rules;
  rules.issuer = issuer;
  rules.audience = issuer + "userinfo";
  rules.leeway = std::chrono::seconds(0);
  rules.jws.require_kid = true;
  jose::KeyStore& keys = ctx.deps.keys;
  jose::KeyLookup lookup = [&keys](std::string_view kid) -> Result<jose::VerificationKey> {
    GH_ASSIGN_OR_RETURN(auto pk, keys.Lookup(kid));
    return jose::VerificationKey::Public(std::move(pk));
  };
  auto jwt = jose::VerifyJwt(*token, jose::Alg::kRS256, lookup, rules, ctx.deps.clock);
  if (!jwt.ok()) return InvalidToken(jwt.status().ToString());
  const auto& claims = jwt->claims;
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
