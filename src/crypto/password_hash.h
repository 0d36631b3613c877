#pragma once
// Password hashing: argon2id for every password we hash, and verification of
// argon2id (PHC string) and bcrypt ($2a$/$2b$/$2y$, the format of Auth0 user
// exports) hashes. The only place password hashes are computed or compared.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gatehouse::crypto {

// Argon2id cost. Defaults are OWASP's (m=19 MiB, t=2, p=1); tests may lower them.
struct Argon2Params {
  uint32_t memory_kib = 19 * 1024;
  uint32_t iterations = 2;
  uint32_t parallelism = 1;
};

struct PasswordCheck {
  bool match = false;
  // The stored hash should be replaced by HashPassword(pw, params) after a
  // successful login: it is bcrypt, or argon2id with a cost below the one requested.
  bool needs_rehash = false;
};

// The PHC string "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (unpadded
// standard base64) of `password`, with a fresh 16-byte salt from the CSPRNG
// and a 32-byte hash. InvalidArgument for parameters libargon2 refuses
// (e.g. memory below 8 * parallelism KiB). Thread-safe.
Result<std::string> HashPassword(std::string_view password, const Argon2Params& params);

// Same with a caller-given salt (at least 8 bytes): for known-answer tests only.
Result<std::string> HashPasswordWithSalt(std::string_view password, const Argon2Params& params,
                                         std::string_view salt);

// Whether `password` matches `stored` (argon2id PHC or bcrypt), compared in
// constant time. A wrong password is not an error (match = false). Errors:
// InvalidArgument for an empty, malformed or unsupported hash (unknown algorithm,
// argon2i/argon2d, out-of-range costs, which would otherwise let a stored hash
// demand gigabytes of memory or hours of CPU). A bcrypt check of a password
// containing a NUL byte never matches (bcrypt sees C strings). Thread-safe.
Result<PasswordCheck> VerifyPassword(std::string_view password, std::string_view stored,
                                     const Argon2Params& params = {});

// Ok if VerifyPassword would accept `stored` as a hash (argon2id PHC within
// the cost bounds, or bcrypt), without computing anything: for validating
// imported hashes in bulk. InvalidArgument otherwise. Thread-safe.
Status CheckPasswordHashFormat(std::string_view stored);

}  // namespace gatehouse::crypto
