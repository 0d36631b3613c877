// grant_type=client_credentials (RFC 6749 §4.4): machine-to-machine tokens.
// The only API known so far is the Management API (<issuer>api/v2/); other
// audiences are refused until an API registry exists.

#include "oauth/scope.h"
#include "oauth/token_context.h"

namespace gatehouse::oauth {

void RunClientCredentialsGrant(OAuthContext& ctx, TokenRequest req, TokenDone done) {
  if (req.client.IsPublic()) {
    return done(TokenError("unauthorized_client", "Public clients cannot use client_credentials"));
  }
  std::string audience = req.form.Get("audience").value_or(req.client.default_audience);
  if (audience.empty()) {
    return done(TokenError("invalid_request", "Missing required parameter: audience"));
  }
  const std::string management = req.issuer + "api/v2/";
  if (audience != management) {
    return done(TokenError("invalid_request", "unknown audience", "audience " + audience));
  }
  if (req.client.management_scopes.empty()) {
    return done(TokenError("access_denied",
                           "The client is not authorized to access the Management API", "", 403));
  }
  std::vector<std::string> scope = req.client.management_scopes;
  if (auto requested = req.form.Get("scope"); requested && !SplitScope(*requested).empty()) {
    scope = IntersectScope(SplitScope(*requested), req.client.management_scopes);
    if (scope.empty()) {
      return done(
          TokenError("invalid_scope", "None of the requested scopes is granted to the client"));
    }
  }

  MintInput in;
  in.issuer = req.issuer;
  in.client = &req.client;
  in.subject = req.client.client_id + "@clients";
  in.scope = JoinScope(scope);
  in.audience = audience;
  in.client_credentials = true;
  auto body = MintTokenResponse(in, ctx.mint, ctx.deps.keys, ctx.deps.clock, ctx.deps.random);
  if (!body.ok()) return done(ServerError(body.status()));
  done(TokenSuccess(*body));
}

}  // namespace gatehouse::oauth
