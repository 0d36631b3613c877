#pragma once
// Internal to flow: the two cookies of the browser login.
//   gh_tx       binds transactions to the browser that started them: one random
//               value per browser, shared by its concurrent logins; each
//               transaction stores its SHA-256. SameSite=None; Secure under TLS
//               (so form_post and redirect-rule returns, which are cross-site
//               POSTs, still carry it), SameSite=Lax on plain HTTP (browsers
//               refuse None without Secure).
//   gh_session  the SSO session: HttpOnly, SameSite=Lax, Secure under TLS.

#include <cstdint>
#include <optional>
#include <string>

#include "core/random.h"
#include "http/cookie.h"
#include "http/request.h"

namespace gatehouse::flow {

inline constexpr const char* kTransactionCookie = "gh_tx";
inline constexpr const char* kSessionCookie = "gh_session";

// The request's cookie `name` when it looks like one of our 256-bit tokens
// (43 base64url characters); nullopt otherwise.
std::optional<std::string> TokenCookie(const http::Request& request, const char* name);

http::SetCookie TransactionCookie(const std::string& value, bool tls);
http::SetCookie SessionCookie(const std::string& value, int64_t max_age_seconds, bool tls);
// Deletes the session cookie (same attributes, Max-Age=0).
http::SetCookie ClearSessionCookie(bool tls);

}  // namespace gatehouse::flow
