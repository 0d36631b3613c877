#pragma once
// OAuth errors (RFC 6749 §4.1.2.1, §5.2): a code, a public description, and a
// private debug part that only reaches logs.

#include <string>

#include "http/response.h"

namespace gatehouse::oauth {

struct OAuthError {
  std::string error;        // "invalid_request", "invalid_grant", ...
  std::string description;  // shown to the client
  std::string debug;        // logged only
  int http_status = 400;    // for token-endpoint style answers (401 for invalid_client)
};

// A token-endpoint error response: JSON {error, error_description},
// Cache-Control: no-store, Pragma: no-cache, and WWW-Authenticate for 401.
http::Response TokenErrorResponse(const OAuthError& error);

}  // namespace gatehouse::oauth
