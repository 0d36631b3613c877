#pragma once
// Opaque credentials (client secrets, codes, refresh tokens) are stored only as
// a hash, so a database leak does not hand out usable credentials. They are
// 256-bit random, so a plain SHA-256 is enough (no password stretching).

#include <string>
#include <string_view>

namespace gatehouse::oauth {

// Lowercase hex SHA-256 of `token` (64 characters). Thread-safe.
std::string HashToken(std::string_view token);

// Constant-time comparison of HashToken(token) with a stored hex hash.
bool TokenMatchesHash(std::string_view token, std::string_view stored_hex_hash);

}  // namespace gatehouse::oauth
