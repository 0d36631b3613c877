#pragma once
// The server's own JWS signing keys (RS256 and ES256), persisted through
// storage::SigningKeyRepo and cached in memory.
//
// Several nodes may share one repo. Nothing here needs a lock across nodes:
// if two nodes generate (EnsureKeys) or rotate at the same moment, both keys
// are stored and active, every node publishes both, and the newest active key
// of an algorithm (latest created_at, then greatest kid) is the one that signs.
// Tokens signed by either keep verifying.

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "crypto/asymmetric_key.h"
#include "jose/signing_key.h"
#include "storage/signing_key_repo.h"

namespace gatehouse::jose {

// All methods are thread-safe. Reads (ActiveKey, Jwks, Lookup) are served from
// the in-memory cache and never touch the repo, except Lookup's bounded
// reload on an unknown kid.
class KeyStore {
 public:
  // Key ids not found in the cache trigger a reload at most this often, so a
  // key another node just created is found while random kids cannot hammer
  // the repo.
  static constexpr std::chrono::seconds kMissReloadInterval{10};

  virtual ~KeyStore() = default;

  // A store over `repo` and `clock` (both must outlive it), with its cache
  // loaded. Errors from the repo are returned. Records that fail to parse are
  // skipped (and logged), not an error.
  static Result<std::unique_ptr<KeyStore>> Create(storage::SigningKeyRepo& repo, Clock& clock);

  // For each of RS256 (RSA 2048) and ES256: generates and stores a key when no
  // active key of that algorithm exists. Idempotent. AlreadyExists from the
  // repo (a racing node) is not an error. Reloads the cache.
  virtual Status EnsureKeys() = 0;

  // The newest active key for "RS256" or "ES256", with its kid. NotFound when
  // there is none (EnsureKeys not run), InvalidArgument for other algs.
  virtual Result<SigningKey> ActiveKey(std::string_view alg) const = 0;

  // {"keys":[...]}: the public JWK (kty, n/e or crv/x/y, kid, alg, use) of every
  // active and retired key; never private members, never revoked keys.
  virtual nlohmann::json Jwks() const = 0;
  // Jwks() serialized; the store keeps it with its cache, so serving the JWKS
  // builds no JSON (rebuilt on every reload, e.g. after Rotate).
  virtual std::string JwksBody() const { return Jwks().dump(); }

  // The public key of an active or retired key. NotFound for unknown or
  // revoked kids (after at most one reload per kMissReloadInterval).
  virtual Result<crypto::PublicKey> Lookup(std::string_view kid) = 0;

  // Re-reads every key from the repo and replaces the cache atomically. On error
  // the previous cache stays.
  virtual Status Reload() = 0;

  // Generates and stores a new active key for `alg`, then retires the
  // previously active keys of that alg (they stay in the JWKS so tokens they
  // signed still verify). Returns the new kid. A retirement lost to a racing
  // node (Conflict) is not an error. Reloads the cache.
  virtual Result<std::string> Rotate(std::string_view alg) = 0;
};

}  // namespace gatehouse::jose
