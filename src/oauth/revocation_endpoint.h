#pragma once
// POST /oauth/revoke (RFC 7009).

#include "http/request.h"
#include "http/response.h"
#include "oauth/token_context.h"

namespace gatehouse::oauth {

// Authenticates the client (401 invalid_client), requires `token`
// (token_type_hint is accepted and not needed). A refresh token of this client
// revokes its whole family (and the family's access tokens at /userinfo).
// Unknown tokens, other clients' tokens and access tokens (JWTs cannot be
// revoked one by one; revoke their refresh token instead) all get 200 and
// change nothing (RFC 7009 §2.2).
http::Response HandleRevoke(OAuthContext& ctx, http::Request& request);

}  // namespace gatehouse::oauth
