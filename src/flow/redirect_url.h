#pragma once
// The URL a rule redirects the browser to (SPEC §3.1): what is allowed, and
// how the /continue state is appended to it.

#include <string>

#include "core/status.h"

namespace gatehouse::flow {

// Ok when `url` is an absolute https URL, or http to a loopback host
// (localhost, 127.0.0.0/8, [::1]) or to any host when `allow_http`; with a
// non-empty host, no userinfo, no control characters (CR/LF included), spaces
// or backslashes, and no `state` query parameter of its own. InvalidArgument
// otherwise, with a message for the log saying why (never shown to users).
Status ValidateRedirectUrl(const std::string& url, bool allow_http);

// `url` with `state=<percent-encoded state>` added to its query: `?` when it
// has no query, `&` otherwise (nothing when the query already ends in `?` or
// `&`); a fragment stays after the query. Precondition: ValidateRedirectUrl ok.
std::string AppendStateParam(const std::string& url, const std::string& state);

}  // namespace gatehouse::flow
