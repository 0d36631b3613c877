#pragma once
// Access tokens issued without an API `audience` are good for one thing only:
// this server's /userinfo. As in Auth0, they are opaque to clients: they are
// not JWTs, nothing but Gatehouse reads them, and their format may change.
// Sealing one costs an HMAC (about a microsecond) where an RS256 JWT costs an
// RSA-2048 signature (about 0.8 ms), which dominated the CPU of a login.
//
// Format (private): "gh1_" base64url(claims JSON) "." base64url(HMAC-SHA256(
// key, everything before the dot)). The key is a server secret shared by every
// node (secrets table, "access_token_key").

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gatehouse::oauth {

// True when `token` has the opaque token's prefix (it may still be forged).
bool IsOpaqueAccessToken(std::string_view token);

// The sealed token carrying `claims`. `key` must not be empty. Thread-safe.
std::string SealAccessToken(const nlohmann::json& claims, std::string_view key);

// The claims of a token sealed under `key`, or kInvalidArgument when the
// token is malformed, too long, or its MAC does not match. Checks no claim:
// expiry, issuer and audience are the caller's. Thread-safe.
Result<nlohmann::json> OpenAccessToken(std::string_view token, std::string_view key);

}  // namespace gatehouse::oauth
