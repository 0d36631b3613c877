#include "oauth/token_endpoint.h"

#include "oauth/issuer.h"
#include "oauth/request_body.h"

namespace gatehouse::oauth {

void HandleToken(OAuthContext& ctx, http::Request& request, http::Done done) {
  auto form = ParseEndpointBody(request);
  if (!form.ok()) return done(TokenError("invalid_request", form.status().message()));
  auto grant_type = form->Get("grant_type");
  if (!grant_type || grant_type->empty()) {
    return done(TokenError("invalid_request", "Missing required parameter: grant_type"));
  }
  using Runner = void (*)(OAuthContext&, TokenRequest, TokenDone);
  Runner run = nullptr;
  if (*grant_type == "authorization_code") run = &RunAuthorizationCodeGrant;
  if (*grant_type == "refresh_token") run = &RunRefreshTokenGrant;
  if (*grant_type == "client_credentials") run = &RunClientCredentialsGrant;
  if (*grant_type == "password") run = &RunPasswordGrant;
  if (run == nullptr) {
    return done(TokenError("unsupported_grant_type", "Unsupported grant type: " + *grant_type));
  }

  auto client = ctx.deps.clients.Authenticate(request, *form);
  if (!client.ok()) {
    if (client.status().code() == ErrorCode::kUnauthenticated) {
      return done(TokenError("invalid_client", "Client authentication failed",
                             client.status().message(), 401));
    }
    return done(ServerError(client.status()));
  }
  if (!client->AllowsGrant(*grant_type)) {
    return done(TokenError("unauthorized_client",
                           "The client is not allowed to use the " + *grant_type + " grant"));
  }
  TokenRequest req;
  req.http = &request;
  req.form = std::move(*form);
  req.client = std::move(*client);
  req.issuer = IssuerFor(request);
  run(ctx, std::move(req), std::move(done));
}

}  // namespace gatehouse::oauth
