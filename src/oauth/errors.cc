#include "oauth/errors.h"

#include <nlohmann/json.hpp>

namespace gatehouse::oauth {

http::Response TokenErrorResponse(const OAuthError& error) {
  nlohmann::json body = {{"error", error.error}};
  if (!error.description.empty()) body["error_description"] = error.description;
  http::Response res = http::Response::Json(error.http_status, body);
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("Pragma", "no-cache");
  if (error.http_status == 401) {
    // RFC 6749 §5.2: invalid_client answered with 401 must name the scheme the
    // client may use.
    res.SetHeader("WWW-Authenticate", "Basic realm=\"gatehouse\", charset=\"UTF-8\"");
  }
  return res;
}

}  // namespace gatehouse::oauth
