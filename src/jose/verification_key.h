#pragma once
// A key that verifies JWS: an HMAC secret or a public key, and the lookup a
// verifier calls to find it from the token's "kid".

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/asymmetric_key.h"
#include "jose/algorithm.h"

namespace gatehouse::jose {

// Copyable, immutable, thread-safe. Holds no algorithm: the verifier pins it,
// and a key only verifies algorithms of its own type (a secret only HS*, an
// RSA key only RS256, a P-256 key only ES256), which is what stops the
// "HS256 signed with the RSA public key" confusion.
class VerificationKey {
 public:
  static VerificationKey Secret(std::string secret);
  static VerificationKey Public(crypto::PublicKey key);

  // True when the key verifies `alg`'s signature over `signing_input`; false
  // on a type mismatch or any failure. Thread-safe.
  bool Verify(Alg alg, std::string_view signing_input, std::string_view signature) const;

 private:
  VerificationKey(std::string secret, std::optional<crypto::PublicKey> key);
  std::string secret_;
  std::optional<crypto::PublicKey> public_key_;
};

// Finds the verification key for a token. Called with the header's "kid"
// (empty when the token has none). Return NotFound for an unknown kid; any
// error refuses the token. Must be safe to call from the verifying thread.
using KeyLookup = std::function<Result<VerificationKey>(std::string_view kid)>;

// A lookup that returns `key` whatever the kid.
KeyLookup FixedKey(VerificationKey key);

}  // namespace gatehouse::jose
