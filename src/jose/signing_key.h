#pragma once
// A key that signs JWS: an HMAC secret or a private key, bound to one algorithm
// and (optionally) a key id.

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/asymmetric_key.h"
#include "jose/algorithm.h"

namespace gatehouse::jose {

// Copyable, immutable, thread-safe.
class SigningKey {
 public:
  // An HS256/384/512 key. InvalidArgument when `alg` is not HMAC or the
  // secret is shorter than the hash output (RFC 7518 §3.2: 32 bytes for
  // HS256, 48 for HS384, 64 for HS512).
  static Result<SigningKey> Hmac(Alg alg, std::string secret, std::string kid = "");
  // An RS256 (RSA key) or ES256 (P-256 key) key. InvalidArgument when the key
  // kind does not match `alg`.
  static Result<SigningKey> Asymmetric(Alg alg, crypto::PrivateKey key, std::string kid = "");

  Alg alg() const { return alg_; }
  // Empty when none: then no "kid" header is written.
  const std::string& kid() const { return kid_; }
  // The public half; nullopt for HMAC keys.
  std::optional<crypto::PublicKey> Public() const;

  // The raw JWS signature over `signing_input` (ASCII header.payload).
  // Internal only if the crypto library fails.
  Result<std::string> Sign(std::string_view signing_input) const;

 private:
  SigningKey(Alg alg, std::string kid, std::string secret, std::optional<crypto::PrivateKey> key);
  Alg alg_;
  std::string kid_;
  std::string secret_;
  std::optional<crypto::PrivateKey> private_key_;
};

}  // namespace gatehouse::jose
