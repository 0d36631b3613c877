#pragma once
// Redirect URI rules shared by client registration and /authorize. The
// matching itself (RedirectUriAllowed) is declared in authorize_request.h.

#include <string>
#include <string_view>

namespace gatehouse::oauth {

// True when `uri` may be registered as a callback: an absolute URI with a
// scheme, no fragment (RFC 6749 §3.1.2), no whitespace or control bytes, and
// for http/https a non-empty host and no userinfo ('@'). Custom schemes
// (native apps, RFC 8252 §7.1) are allowed. On false `why` says why.
bool IsValidCallbackUrl(std::string_view uri, std::string* why);

// True for "http://127.0.0.1", "http://[::1]" or "http://localhost", with any
// (or no) port: the loopback redirects of RFC 8252 §7.3.
bool IsLoopbackRedirect(std::string_view uri);

}  // namespace gatehouse::oauth
