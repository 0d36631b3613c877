#include "oauth/revocation_endpoint.h"

#include "core/logging.h"
#include "oauth/request_body.h"

namespace gatehouse::oauth {

http::Response HandleRevoke(OAuthContext& ctx, http::Request& request) {
  auto form = ParseEndpointBody(request);
  if (!form.ok()) return TokenError("invalid_request", form.status().message());
  auto client = ctx.deps.clients.Authenticate(request, *form);
  if (!client.ok()) {
    if (client.status().code() == ErrorCode::kUnauthenticated) {
      return TokenError("invalid_client", "Client authentication failed", client.status().message(),
                        401);
    }
    return ServerError(client.status());
  }
  auto token = form->Get("token");
  if (!token || token->empty()) {
    return TokenError("invalid_request", "Missing required parameter: token");
  }
  auto grant = ctx.grants.GrantOfRefreshToken(*token);
  if (grant.ok()) {
    if (grant->client_id == client->client_id) {
      Status s = ctx.grants.Revoke(grant->id);
      if (!s.ok()) return ServerError(s);
    } else {
      log::Info("revocation of another client's token ignored", {{"client_id", client->client_id}});
    }
  } else if (grant.status().code() != ErrorCode::kNotFound) {
    return ServerError(grant.status());
  }
  http::Response res;
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("Pragma", "no-cache");
  return res;
}

}  // namespace gatehouse::oauth
