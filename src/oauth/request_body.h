#pragma once
// Body parameters of the token and revocation endpoints (internal to oauth).

#include <string>

#include "core/status.h"
#include "http/params.h"
#include "http/request.h"

namespace gatehouse::oauth {

// application/x-www-form-urlencoded (RFC 6749 §3.2), or a JSON object of
// string (or number/boolean, stringified) members as Auth0 also accepts.
// InvalidArgument with a public message for another media type, a malformed
// body, non-scalar JSON values, or a parameter sent more than once (RFC 6749
// §3.2: parameters MUST NOT be included more than once).
Result<http::Params> ParseEndpointBody(const http::Request& request);

}  // namespace gatehouse::oauth
