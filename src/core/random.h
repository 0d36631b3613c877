#pragma once
// Randomness as a dependency. The production implementation is the CSPRNG in
// src/crypto (crypto::SecureRandom); core only defines the interface so every
// module can take a Random& without depending on OpenSSL.

#include <cstddef>
#include <string>

namespace gatehouse {

class Random {
 public:
  virtual ~Random() = default;
  // `n` random bytes. Implementations used for secrets must be a CSPRNG.
  // Thread-safe.
  virtual std::string Bytes(size_t n) = 0;

  // `n_bytes` random bytes as unpadded base64url (a token: 32 bytes = 256 bits).
  std::string Token(size_t n_bytes = 32);
  // `n_bytes` random bytes as lowercase hex (ids: 16 bytes = 128 bits).
  std::string Hex(size_t n_bytes = 16);
  // `n_chars` characters drawn uniformly from [A-Za-z0-9] (about 5.95 bits
  // each). For identifiers people type or pass as arguments: unlike base64url
  // they never start with '-' (which a command line would take for a flag).
  std::string Alphanumeric(size_t n_chars);
};

}  // namespace gatehouse
