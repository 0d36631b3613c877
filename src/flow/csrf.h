#pragma once
// CSRF tokens of the hosted forms: HMAC-SHA-256(csrf_key, transaction id,
// browser cookie), base64url. Bound to both, so a token lifted from one
// transaction or one browser is worthless for any other; no server state.

#include <string>
#include <string_view>

namespace gatehouse::flow {

// The token for (transaction, browser). Thread-safe.
std::string CsrfToken(std::string_view key, std::string_view transaction_id,
                      std::string_view browser_secret);

// True when `token` is CsrfToken(key, transaction_id, browser_secret),
// compared in constant time. An empty token or empty browser secret is false.
bool CsrfValid(std::string_view key, std::string_view transaction_id,
               std::string_view browser_secret, std::string_view token);

}  // namespace gatehouse::flow
