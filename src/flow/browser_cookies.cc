#include "flow/browser_cookies.h"

#include "core/base64url.h"

namespace gatehouse::flow {

std::optional<std::string> TokenCookie(const http::Request& request, const char* name) {
  auto value = request.Cookie(name);
  if (!value || value->size() != 43) return std::nullopt;
  auto bytes = Base64UrlDecode(*value);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  return value;
}

http::SetCookie TransactionCookie(const std::string& value, bool tls) {
  return http::SetCookie{.name = kTransactionCookie,
                         .value = value,
                         .path = "/",
                         .http_only = true,
                         .secure = tls,
                         .same_site = tls ? "None" : "Lax"};
}

http::SetCookie SessionCookie(const std::string& value, int64_t max_age_seconds, bool tls) {
  return http::SetCookie{.name = kSessionCookie,
                         .value = value,
                         .path = "/",
                         .max_age = max_age_seconds,
                         .http_only = true,
                         .secure = tls,
                         .same_site = "Lax"};
}

http::SetCookie ClearSessionCookie(bool tls) { return SessionCookie("", 0, tls); }

}  // namespace gatehouse::flow
