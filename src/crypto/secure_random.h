#pragma once
// The production Random: OpenSSL's CSPRNG.

#include <cstddef>
#include <string>

#include "core/random.h"

namespace gatehouse::crypto {

class SecureRandom final : public Random {
 public:
  // The process-wide instance (never destroyed). Thread-safe.
  static SecureRandom& Instance();

  // `n` bytes from RAND_bytes. A CSPRNG failure is not recoverable (handing out
  // predictable secrets is worse than stopping), so it aborts the process.
  // Thread-safe.
  std::string Bytes(size_t n) override;

 private:
  SecureRandom() = default;
};

}  // namespace gatehouse::crypto
