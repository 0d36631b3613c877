// grant_type=password (RFC 6749 §4.3): off unless the client's grant_types
// include "password" (checked by the endpoint). Runs the login pipeline with
// protocol "oauth2-password"; a rule redirect cannot happen here (SPEC §3.4).

#include <memory>

#include "oauth/scope.h"
#include "oauth/token_context.h"

namespace gatehouse::oauth {

void RunPasswordGrant(OAuthContext& ctx, TokenRequest req, TokenDone done) {
  auto username = req.form.Get("username");
  auto password = req.form.Get("password");
  if (!username || username->empty()) {
    return done(TokenError("invalid_request", "Missing required parameter: username"));
  }
  if (!password || password->empty()) {
    return done(TokenError("invalid_request", "Missing required parameter: password"));
  }
  auto user = ctx.deps.users.Authenticate(*username, *password, req.http->remote_ip);
  if (!user.ok()) {
    switch (user.status().code()) {
      case ErrorCode::kUnauthenticated:
        return done(TokenError("invalid_grant", "Wrong email or password."));
      case ErrorCode::kResourceExhausted:
        return done(TokenError("invalid_grant",
                               "Too many failed login attempts: this account is blocked for now.",
                               user.status().message()));
      case ErrorCode::kPermissionDenied:
        return done(TokenError("invalid_grant", "user is blocked"));
      default: return done(ServerError(user.status()));
    }
  }
  const std::string scope = JoinScope(SplitScope(req.form.Get("scope").value_or("")));
  const std::string audience = req.form.Get("audience").value_or("");
  nlohmann::json user_json = user->ToJson();

  LoginRequest login;
  login.protocol = "oauth2-password";
  login.client = req.client;
  login.user = user_json;
  login.scope = scope;
  login.audience = audience;
  login.ip = req.http->remote_ip;
  login.user_agent = req.http->Header("User-Agent").value_or("");
  login.hostname = req.http->Host();

  auto client = std::make_shared<Client>(req.client);
  const std::string issuer = req.issuer;
  const std::string user_id = user->user_id();
  const int64_t epoch = user->record.credentials_epoch;
  ctx.deps.pipeline.Run(
      std::move(login), [&ctx, client, issuer, user_id, epoch, scope, audience, user_json,
                         done = std::move(done)](LoginOutcome outcome) {
        if (outcome.kind != LoginOutcome::Kind::kContinue) return done(PipelineRefusal(outcome));
        std::vector<std::string> granted = SplitScope(scope);
        if (!outcome.scope.empty()) granted = IntersectScope(granted, SplitScope(outcome.scope));

        Grant g;
        g.client_id = client->client_id;
        g.user_id = user_id;
        g.scope = JoinScope(granted);
        g.audience = audience;
        g.issuer = issuer;
        g.auth_time = ctx.deps.clock.NowSeconds();
        g.credentials_epoch = epoch;
        auto created = ctx.grants.Create(g);
        if (!created.ok()) return done(ServerError(created.status()));
        std::string refresh;
        if (ScopeHas(g.scope, "offline_access") && client->AllowsGrant("refresh_token")) {
          auto rt = ctx.grants.IssueRefreshToken(*created);
          if (!rt.ok()) return done(ServerError(rt.status()));
          refresh = *rt;
        }
        MintInput in;
        in.issuer = issuer;
        in.client = client.get();
        in.subject = user_id;
        in.scope = g.scope;
        in.audience = audience;
        in.grant_id = created->id;
        in.user = outcome.user.is_object() && !outcome.user.empty() ? outcome.user : user_json;
        in.auth_time = g.auth_time;
        in.id_token_claims = outcome.id_token_claims;
        in.access_token_claims = outcome.access_token_claims;
        in.refresh_token = refresh;
        auto body = MintTokenResponse(in, ctx.mint, ctx.deps.keys, ctx.deps.clock, ctx.deps.random);
        if (!body.ok()) return done(ServerError(body.status()));
        done(TokenSuccess(*body));
      });
}

}  // namespace gatehouse::oauth
