#include "oauth/token_minter.h"

#include <set>

#include "core/base64url.h"
#include "crypto/digest.h"
#include "jose/jwt.h"
#include "oauth/grant_store.h"
#include "oauth/opaque_access_token.h"
#include "oauth/scope.h"

namespace gatehouse::oauth {
namespace {

// Claims rules may never set (SPEC §4.4); custom claims are merged after ours
// and skip these.
bool IsRegisteredClaim(const std::string& name) {
  static const std::set<std::string> k = {"iss",     "sub",   "aud",   "exp", "iat",
                                          "nbf",     "jti",   "nonce", "azp", "auth_time",
                                          "at_hash", "scope", "gty",   "sid", kGrantClaim};
  return k.count(name) > 0;
}

void MergeCustomClaims(nlohmann::json& claims, const nlohmann::json& custom) {
  if (!custom.is_object()) return;
  for (const auto& [k, v] : custom.items()) {
    if (!IsRegisteredClaim(k)) claims[k] = v;
  }
}

// OIDC Core §3.1.3.6: the left half of the hash of the access token's ASCII.
std::string AtHash(const std::string& access_token) {
  std::string digest = crypto::Digest(crypto::Hash::kSha256, access_token);
  return Base64UrlEncode(digest.substr(0, digest.size() / 2));
}

}  // namespace

nlohmann::json ProfileClaims(const nlohmann::json& user, const std::string& scope) {
  nlohmann::json out = nlohmann::json::object();
  if (!user.is_object()) return out;
  auto copy = [&](const char* name) {
    auto it = user.find(name);
    if (it != user.end() && !it->is_null()) out[name] = *it;
  };
  auto scopes = SplitScope(scope);
  auto has = [&](const char* s) {
    return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
  };
  if (has("profile")) {
    for (const char* c : {"name", "nickname", "given_name", "family_name", "picture", "updated_at"})
      copy(c);
  }
  if (has("email")) {
    copy("email");
    copy("email_verified");
  }
  return out;
}

Result<nlohmann::json> MintTokenResponse(const MintInput& in, const MintOptions& options,
                                         jose::KeyStore& keys, Clock& clock, Random& random) {
  const int64_t now = clock.NowSeconds();
  const bool openid = ScopeHas(in.scope, "openid");

  nlohmann::json aud = nlohmann::json::array();
  if (!in.audience.empty()) aud.push_back(in.audience);
  if (openid || aud.empty()) aud.push_back(in.issuer + "userinfo");

  // No API audience: the token only opens /userinfo, so it is sealed with an
  // HMAC instead of signed, and carries no custom claims (Auth0 drops them
  // from its opaque tokens too: no API would ever read them).
  const bool opaque =
      in.audience.empty() && !in.client_credentials && !options.access_token_key.empty();
  nlohmann::json at = nlohmann::json::object();
  if (!opaque) MergeCustomClaims(at, in.access_token_claims);
  at["iss"] = in.issuer;
  at["sub"] = in.subject;
  at["aud"] = aud;
  at["iat"] = now;
  at["exp"] = now + options.access_token_seconds;
  at["scope"] = in.scope;
  at["azp"] = in.client->client_id;
  if (in.client_credentials) at["gty"] = "client-credentials";
  if (!in.grant_id.empty()) at[kGrantClaim] = in.grant_id;

  std::string access_token;
  if (opaque) {
    access_token = SealAccessToken(at, options.access_token_key);
  } else {
    at["jti"] = random.Token(16);
    // JWT access tokens are RS256: resource servers expect Auth0's default.
    GH_ASSIGN_OR_RETURN(auto at_key, keys.ActiveKey("RS256"));
    GH_ASSIGN_OR_RETURN(access_token, jose::SignJwt(at, at_key));
  }

  nlohmann::json body = {{"access_token", access_token},
                         {"token_type", "Bearer"},
                         {"expires_in", options.access_token_seconds}};
  if (!in.scope.empty()) body["scope"] = in.scope;

  if (openid && !in.client_credentials) {
    nlohmann::json id = ProfileClaims(in.user, in.scope);
    MergeCustomClaims(id, in.id_token_claims);
    id["iss"] = in.issuer;
    id["sub"] = in.subject;
    id["aud"] = in.client->client_id;
    id["iat"] = now;
    id["exp"] = now + options.id_token_seconds;
    id["auth_time"] = in.auth_time;
    id["azp"] = in.client->client_id;
    id["at_hash"] = AtHash(access_token);
    if (!in.nonce.empty()) id["nonce"] = in.nonce;
    if (!in.session_id.empty()) id["sid"] = in.session_id;
    const std::string& alg = in.client->id_token_signed_response_alg.empty()
                                 ? options.id_token_alg
                                 : in.client->id_token_signed_response_alg;
    GH_ASSIGN_OR_RETURN(auto id_key, keys.ActiveKey(alg));
    GH_ASSIGN_OR_RETURN(std::string id_token, jose::SignJwt(id, id_key));
    body["id_token"] = id_token;
  }
  if (!in.refresh_token.empty()) body["refresh_token"] = in.refresh_token;
  return body;
}

}  // namespace gatehouse::oauth
