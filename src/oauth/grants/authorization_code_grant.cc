// grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6).

#include <algorithm>

#include "core/base64url.h"
#include "crypto/digest.h"
#include "oauth/authorization_code.h"
#include "oauth/code_record.h"
#include "oauth/scope.h"
#include "oauth/token_context.h"
#include "oauth/token_hash.h"

namespace gatehouse::oauth {
namespace {

bool ValidVerifier(std::string_view v) {
  if (v.size() < 43 || v.size() > 128) return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
  });
}

// Revokes what a code's first redemption issued (SPEC §1: a replayed code
// kills every token issued from it).
void RevokeRedemption(OAuthContext& ctx, const nlohmann::json& record_data) {
  auto it = record_data.find(kRedeemedGrantMember);
  if (it != record_data.end() && it->is_string()) {
    (void)ctx.grants.Revoke(it->get<std::string>());
  }
}

http::Response Exchange(OAuthContext& ctx, const TokenRequest& req) {
  auto code = req.form.Get("code");
  if (!code || code->empty())
    return TokenError("invalid_request", "Missing required parameter: code");
  if (code->size() > 512) return TokenError("invalid_grant", "Invalid authorization code");
  auto& records = ctx.deps.storage.records();
  const std::string id = HashToken(*code);

  auto rec = records.Get(kCodeKind, id);
  if (!rec.ok()) {
    if (rec.status().code() == ErrorCode::kNotFound) {
      return TokenError("invalid_grant", "Invalid authorization code", "unknown or expired code");
    }
    return ServerError(rec.status());
  }
  auto data = nlohmann::json::parse(rec->data, nullptr, false);
  if (!data.is_object()) return ServerError(Internal("code record is not JSON"));
  auto grant = CodeGrant::FromJson(data);
  if (!grant.ok()) return ServerError(grant.status());
  if (grant->client_id != req.client.client_id) {
    return TokenError("invalid_grant", "Invalid authorization code",
                      "code issued to another client");
  }
  if (data.contains(kRedeemedGrantMember)) {
    RevokeRedemption(ctx, data);
    return TokenError("invalid_grant", "Invalid authorization code",
                      "code redeemed twice: its tokens are revoked");
  }

  if (req.form.Get("redirect_uri").value_or("") != grant->redirect_uri) {
    return TokenError("invalid_grant", "redirect_uri does not match the authorization request");
  }
  auto verifier = req.form.Get("code_verifier");
  if (!grant->code_challenge.empty()) {
    if (!verifier) return TokenError("invalid_grant", "Missing code_verifier");
    if (!ValidVerifier(*verifier)) return TokenError("invalid_grant", "Invalid code_verifier");
    std::string computed = Base64UrlEncode(crypto::Digest(crypto::Hash::kSha256, *verifier));
    if (grant->code_challenge_method != "S256" ||
        !crypto::ConstantTimeEquals(computed, grant->code_challenge)) {
      return TokenError("invalid_grant", "Failed to verify code_verifier");
    }
  } else if (verifier) {
    // RFC 9700 §2.1.1: a verifier without a challenge is a downgrade attempt.
    return TokenError("invalid_grant", "code_verifier sent but no code_challenge was used");
  }

  auto user = ctx.deps.users.Get(grant->user_id);
  if (!user.ok()) {
    if (user.status().code() == ErrorCode::kNotFound) {
      return TokenError("invalid_grant", "The user no longer exists");
    }
    return ServerError(user.status());
  }
  if (user->record.blocked) return TokenError("invalid_grant", "user is blocked");

  // Tokens name the domain the login ran on (SPEC §3.7).
  const std::string issuer = grant->issuer.empty() ? req.issuer : grant->issuer;
  Grant g;
  g.client_id = grant->client_id;
  g.user_id = grant->user_id;
  g.scope = grant->scope;
  g.audience = grant->audience;
  g.issuer = issuer;
  g.session_id = grant->session_id;
  g.auth_time = grant->auth_time;
  g.credentials_epoch = user->record.credentials_epoch;
  auto created = ctx.grants.Create(g);
  if (!created.ok()) return ServerError(created.status());

  // Consume-once: the compare-and-set against the version we read lets
  // exactly one of racing redemptions through; the record stays (as long as
  // the grant) so a later replay knows what to revoke.
  data[kRedeemedGrantMember] = created->id;
  const int64_t keep_until = created->refresh_expires_at + ctx.mint.access_token_seconds;
  auto cas = records.CompareAndSet(kCodeKind, id, rec->version, data.dump(), keep_until);
  if (!cas.ok()) {
    (void)ctx.grants.Revoke(created->id);
    if (cas.status().code() == ErrorCode::kConflict) {
      auto now = records.Get(kCodeKind, id);
      if (now.ok()) RevokeRedemption(ctx, nlohmann::json::parse(now->data, nullptr, false));
      return TokenError("invalid_grant", "Invalid authorization code", "concurrent redemption");
    }
    if (cas.status().code() == ErrorCode::kNotFound) {
      return TokenError("invalid_grant", "Invalid authorization code", "code expired");
    }
    return ServerError(cas.status());
  }

  std::string refresh;
  if (ScopeHas(grant->scope, "offline_access") && req.client.AllowsGrant("refresh_token")) {
    auto rt = ctx.grants.IssueRefreshToken(*created);
    if (!rt.ok()) return ServerError(rt.status());
    refresh = *rt;
  }

  MintInput in;
  in.issuer = issuer;
  in.client = &req.client;
  in.subject = grant->user_id;
  in.scope = grant->scope;
  in.audience = grant->audience;
  in.grant_id = created->id;
  in.user = grant->user.empty() ? user->ToJson() : grant->user;
  in.nonce = grant->nonce;
  in.auth_time = grant->auth_time;
  in.session_id = grant->session_id;
  in.id_token_claims = grant->id_token_claims;
  in.access_token_claims = grant->access_token_claims;
  in.refresh_token = refresh;
  auto body = MintTokenResponse(in, ctx.mint, ctx.deps.keys, ctx.deps.clock, ctx.deps.random);
  if (!body.ok()) return ServerError(body.status());
  return TokenSuccess(*body);
}

}  // namespace

void RunAuthorizationCodeGrant(OAuthContext& ctx, TokenRequest req, TokenDone done) {
  done(Exchange(ctx, req));
}

}  // namespace gatehouse::oauth
