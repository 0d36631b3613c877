#pragma once
// Hashes, HMAC and constant-time comparison.

#include <string>
#include <string_view>

namespace gatehouse::crypto {

enum class Hash { kSha256, kSha384, kSha512 };

// Output size in bytes of `hash` (32, 48, 64).
size_t DigestSize(Hash hash);

// The raw digest bytes of `data`. Thread-safe.
std::string Digest(Hash hash, std::string_view data);

// The raw HMAC bytes of `data` under `key` (any key length, including empty).
// Thread-safe.
std::string Hmac(Hash hash, std::string_view key, std::string_view data);

// True when `a` and `b` are equal, in time that depends only on their lengths.
// A length mismatch is false (lengths are not secret here: MACs have fixed size).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gatehouse::crypto
