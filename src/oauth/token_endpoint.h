#pragma once
// POST /oauth/token (RFC 6749 §3.2): parses the body, authenticates the
// client, checks the grant type and hands over to the grant's file.

#include "http/router.h"
#include "oauth/token_context.h"

namespace gatehouse::oauth {

void HandleToken(OAuthContext& ctx, http::Request& request, http::Done done);

}  // namespace gatehouse::oauth
