#pragma once
// GET/POST /userinfo (OIDC Core §5.3) with RFC 6750 bearer-token errors.

#include "http/request.h"
#include "http/response.h"
#include "oauth/token_context.h"

namespace gatehouse::oauth {

// The token comes from "Authorization: Bearer" or, for POST, the
// form-urlencoded access_token field (not both). It must be an RS256 JWT we
// signed, with iss equal to IssuerFor(request), the <issuer>userinfo
// audience, unexpired, its grant not revoked, its user present and not
// blocked. 401 invalid_token otherwise; 403 insufficient_scope without openid.
http::Response HandleUserinfo(OAuthContext& ctx, http::Request& request);

}  // namespace gatehouse::oauth
