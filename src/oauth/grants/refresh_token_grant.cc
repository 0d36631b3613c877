// grant_type=refresh_token (RFC 6749 §6) with rotation and reuse detection
// (RFC 9700 §4.14.2): every use returns a new refresh token of the same
// family; presenting a used one revokes the family.

#include <memory>

#include "oauth/scope.h"
#include "oauth/token_context.h"

namespace gatehouse::oauth {

void RunRefreshTokenGrant(OAuthContext& ctx, TokenRequest req, TokenDone done) {
  auto token = req.form.Get("refresh_token");
  if (!token || token->empty()) {
    return done(TokenError("invalid_request", "Missing required parameter: refresh_token"));
  }
  auto use = ctx.grants.FindForUse(*token);
  if (!use.ok()) {
    if (use.status().code() == ErrorCode::kUnauthenticated) {
      return done(
          TokenError("invalid_grant", "Unknown or invalid refresh token", use.status().message()));
    }
    return done(ServerError(use.status()));
  }
  const Grant& grant = use->grant;
  if (grant.client_id != req.client.client_id) {
    return done(TokenError("invalid_grant", "Unknown or invalid refresh token",
                           "refresh token of another client"));
  }

  // Scope may only narrow (RFC 6749 §6).
  auto granted = SplitScope(grant.scope);
  std::vector<std::string> scope = granted;
  if (auto requested = req.form.Get("scope")) {
    scope = SplitScope(*requested);
    if (IntersectScope(scope, granted).size() != scope.size()) {
      return done(TokenError("invalid_scope", "The requested scope exceeds the granted scope"));
    }
  }

  auto user = ctx.deps.users.Get(grant.user_id);
  if (!user.ok()) {
    if (user.status().code() == ErrorCode::kNotFound) {
      (void)ctx.grants.Revoke(grant.id);
      return done(TokenError("invalid_grant", "Unknown or invalid refresh token", "user deleted"));
    }
    return done(ServerError(user.status()));
  }
  if (user->record.blocked) return done(TokenError("invalid_grant", "user is blocked"));
  if (user->record.credentials_epoch != grant.credentials_epoch) {
    // The password changed since the login: the whole family is dead.
    (void)ctx.grants.Revoke(grant.id);
    return done(TokenError("invalid_grant", "Unknown or invalid refresh token",
                           "credentials changed since the refresh token was issued"));
  }

  LoginRequest login;
  login.protocol = "oauth2-refresh-token";
  login.client = req.client;
  nlohmann::json user_json = user->ToJson();
  login.user = user_json;
  login.scope = JoinScope(scope);
  login.audience = grant.audience;
  login.ip = req.http->remote_ip;
  login.user_agent = req.http->Header("User-Agent").value_or("");
  login.hostname = req.http->Host();

  auto shared_use = std::make_shared<RefreshTokenUse>(std::move(*use));
  auto client = std::make_shared<Client>(req.client);
  const std::string fallback_issuer = req.issuer;
  ctx.deps.pipeline.Run(
      std::move(login), [&ctx, shared_use, client, scope, fallback_issuer, user_json,
                         done = std::move(done)](LoginOutcome outcome) {
        if (outcome.kind != LoginOutcome::Kind::kContinue) return done(PipelineRefusal(outcome));
        // The use is consumed only now, so a refused login leaves the token
        // usable; a racing use of the same token loses here and revokes.
        Status used = ctx.grants.MarkUsed(*shared_use);
        if (!used.ok()) {
          if (used.code() == ErrorCode::kUnauthenticated) {
            return done(
                TokenError("invalid_grant", "Unknown or invalid refresh token", used.message()));
          }
          return done(ServerError(used));
        }
        const Grant& g = shared_use->grant;
        std::vector<std::string> final_scope = scope;
        if (!outcome.scope.empty()) {
          final_scope = IntersectScope(final_scope, SplitScope(outcome.scope));
        }
        auto next = ctx.grants.IssueRefreshToken(g);
        if (!next.ok()) return done(ServerError(next.status()));

        MintInput in;
        in.issuer = g.issuer.empty() ? fallback_issuer : g.issuer;
        in.client = client.get();
        in.subject = g.user_id;
        in.scope = JoinScope(final_scope);
        in.audience = g.audience;
        in.grant_id = g.id;
        in.user = outcome.user.is_object() && !outcome.user.empty() ? outcome.user : user_json;
        in.auth_time = g.auth_time;
        in.session_id = g.session_id;
        in.id_token_claims = outcome.id_token_claims;
        in.access_token_claims = outcome.access_token_claims;
        in.refresh_token = *next;
        auto body = MintTokenResponse(in, ctx.mint, ctx.deps.keys, ctx.deps.clock, ctx.deps.random);
        if (!body.ok()) return done(ServerError(body.status()));
        done(TokenSuccess(*body));
      });
}

}  // namespace gatehouse::oauth
