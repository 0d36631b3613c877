#pragma once
// Sending an authorization response (code or error) to the client's
// redirect_uri in the requested response mode (OAuth 2.0 Multiple Response
// Type Encoding Practices; Form Post Response Mode).

#include <string>
#include <utility>
#include <vector>

#include "http/response.h"

namespace gatehouse::oauth {

// `params` e.g. {{"code", c}, {"state", s}, {"iss", issuer}}; entries with
// empty values are left out. "query": 302 with the params appended to the
// redirect_uri's query ('?' or '&'); "fragment": 302 with them in the
// fragment; "form_post": 200 HTML page that auto-POSTs them (no-store, CSP
// allowing only the inline submit). The redirect_uri must already be validated.
// Discovery advertises authorization_response_iss_parameter_supported (RFC
// 9207), so callers MUST include {"iss", IssuerFor(request)} in every
// response, success or error.
http::Response RespondToClient(const std::string& redirect_uri, const std::string& response_mode,
                               const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace gatehouse::oauth
