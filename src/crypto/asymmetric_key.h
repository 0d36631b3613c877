#pragma once
// RSA and EC P-256 keys for JWS (RS256, ES256). Wraps OpenSSL's EVP_PKEY so no
// other module sees OpenSSL types.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "crypto/digest.h"

namespace gatehouse::crypto {

enum class KeyKind { kRsa, kEcP256 };

// Smallest RSA modulus accepted for verification and generation.
inline constexpr int kMinRsaBits = 2048;

class KeyHandle;  // the shared EVP_PKEY, defined in the .cc

// A public key. Copyable (copies share one refcounted EVP_PKEY), immutable,
// thread-safe.
class PublicKey {
 public:
  // Parses a PEM "PUBLIC KEY" (SPKI), "RSA PUBLIC KEY" (PKCS#1) or
  // "CERTIFICATE" (its subject key). InvalidArgument for anything else,
  // including curves other than P-256. RSA keys under 2048 bits load (so
  // callers can report them) but never verify.
  static Result<PublicKey> FromPem(std::string_view pem);
  // From big-endian modulus and exponent bytes (leading zeros allowed).
  // InvalidArgument when empty or the exponent is even / < 3.
  static Result<PublicKey> FromRsaComponents(std::string_view n, std::string_view e);
  // From the 32-byte big-endian affine coordinates; InvalidArgument unless the
  // point is on P-256.
  static Result<PublicKey> FromEcP256(std::string_view x, std::string_view y);

  KeyKind kind() const;
  // Modulus size for RSA, 256 for P-256.
  int bits() const;
  // RSA: {n, e} without leading zeros; EC P-256: {x, y} (32 bytes each,
  // left-padded). Big-endian bytes.
  std::pair<std::string, std::string> Components() const;
  // SPKI PEM ("-----BEGIN PUBLIC KEY-----").
  Result<std::string> ToPem() const;

  // RSASSA-PKCS1-v1_5 for RSA (false for keys < 2048 bits); ECDSA P-256 for EC
  // with the JOSE r||s 64-byte form (anything else, incl. DER or r or s zero
  // or >= the group order, is false). Never throws; false on any failure.
  // Thread-safe.
  bool Verify(Hash hash, std::string_view data, std::string_view signature) const;

 private:
  explicit PublicKey(std::shared_ptr<const KeyHandle> key);
  friend class PrivateKey;
  std::shared_ptr<const KeyHandle> key_;
};

// A private key. Copyable (shared refcounted EVP_PKEY), immutable, thread-safe.
class PrivateKey {
 public:
  // A fresh RSA key; InvalidArgument when bits < 2048.
  static Result<PrivateKey> GenerateRsa(int bits = 2048);
  static Result<PrivateKey> GenerateEcP256();
  // Parses PKCS#8 ("PRIVATE KEY"), "RSA PRIVATE KEY" or "EC PRIVATE KEY"
  // (unencrypted). InvalidArgument for anything else, other curves, or RSA
  // keys under 2048 bits.
  static Result<PrivateKey> FromPem(std::string_view pem);
  // Unencrypted PKCS#8 PEM. A secret: never log it.
  Result<std::string> ToPem() const;

  KeyKind kind() const;
  PublicKey Public() const;

  // RSASSA-PKCS1-v1_5 (deterministic) for RSA, or ECDSA P-256 as r||s (64
  // bytes, randomised). Thread-safe.
  Result<std::string> Sign(Hash hash, std::string_view data) const;

 private:
  explicit PrivateKey(std::shared_ptr<const KeyHandle> key);
  std::shared_ptr<const KeyHandle> key_;
};

}  // namespace gatehouse::crypto
