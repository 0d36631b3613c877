#pragma once
// Storage slice: the server's JWS signing keys.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::storage {

struct SigningKeyRecord {
  std::string kid;          // unique; the RFC 7638 thumbprint of the public key
  std::string alg;          // "RS256" | "ES256"
  std::string private_pem;  // PKCS#8 PEM; a secret, never logged or served
  std::string public_jwk;   // JSON object text of the public JWK (with kid, alg, use)
  int64_t created_at = 0;   // unix seconds
  // "active": used to sign new tokens (one per alg is the newest active);
  // "retired": still published in the JWKS so tokens it signed verify;
  // "revoked": neither used nor published.
  std::string status = "active";
  int64_t version = 1;  // bumped by every successful SetStatus
};

class SigningKeyRepo {
 public:
  virtual ~SigningKeyRepo() = default;

  // Stores a new key at version 1 (key.version is ignored); a created_at of 0
  // means "now" by the store's clock. AlreadyExists if `kid` is taken.
  // InvalidArgument for an empty kid, an empty alg or an unknown status.
  // Thread-safe, atomic.
  virtual Status Insert(const SigningKeyRecord& key) = 0;

  // The key `kid`, or NotFound.
  virtual Result<SigningKeyRecord> Get(const std::string& kid) = 0;

  // Every key of any status, oldest first (created_at, then kid). Empty is not an error.
  virtual Result<std::vector<SigningKeyRecord>> List() = 0;

  // Compare-and-set of the status: succeeds only if the stored version equals
  // `expected_version`; then sets `status` and bumps the version. NotFound if
  // absent, Conflict if the version moved, InvalidArgument for a status other
  // than active/retired/revoked. Of racing callers exactly one wins.
  virtual Status SetStatus(const std::string& kid, int64_t expected_version,
                           const std::string& status) = 0;
};

}  // namespace gatehouse::storage
