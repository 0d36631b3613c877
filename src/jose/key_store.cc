#include "jose/key_store.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <tuple>
#include <vector>

#include "core/logging.h"
#include "jose/algorithm.h"
#include "jose/jwk.h"

namespace gatehouse::jose {
namespace {

constexpr const char* kActive = "active";
constexpr const char* kRetired = "retired";

struct CachedKey {
  std::string kid;
  std::string alg;
  std::string status;
  int64_t created_at = 0;
  int64_t version = 0;
  crypto::PublicKey public_key;
  std::optional<SigningKey> signer;  // only for active keys
};

// One immutable view of the repo; replaced whole on reload so readers never
// see a half-updated set.
struct Snapshot {
  std::vector<CachedKey> keys;  // repo order: oldest first
  std::string jwks_body;        // the serialized JWKS of `keys`
};

// Only the two algorithms the server signs with are stored.
std::optional<Alg> StoredAlg(std::string_view alg) {
  auto parsed = ParseAlg(alg);
  if (!parsed || (*parsed != Alg::kRS256 && *parsed != Alg::kES256)) return std::nullopt;
  return parsed;
}

Result<CachedKey> LoadRecord(const storage::SigningKeyRecord& record) {
  auto alg = StoredAlg(record.alg);
  if (!alg) return InvalidArgument("unsupported alg");
  if (record.status == kActive) {
    GH_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::FromPem(record.private_pem));
    GH_ASSIGN_OR_RETURN(SigningKey signer, SigningKey::Asymmetric(*alg, key, record.kid));
    return CachedKey{record.kid,     record.alg,   record.status,    record.created_at,
                     record.version, key.Public(), std::move(signer)};
  }
  // Retired keys only verify; the public JWK is enough and cheaper to load.
  nlohmann::json jwk = nlohmann::json::parse(record.public_jwk, nullptr, false);
  GH_ASSIGN_OR_RETURN(crypto::PublicKey key, ParseJwk(jwk));
  return CachedKey{record.kid,     record.alg, record.status, record.created_at,
                   record.version, key,        std::nullopt};
}

bool Newer(const CachedKey& a, const CachedKey& b) {
  return std::tie(a.created_at, a.kid) > std::tie(b.created_at, b.kid);
}

class KeyStoreImpl final : public KeyStore {
 public:
  KeyStoreImpl(storage::SigningKeyRepo& repo, Clock& clock)
      : repo_(repo), clock_(clock), snapshot_(std::make_shared<const Snapshot>()) {}

  Status EnsureKeys() override {
    std::lock_guard write(write_mutex_);
    GH_RETURN_IF_ERROR(Reload());
    for (Alg alg : {Alg::kRS256, Alg::kES256}) {
      if (ActiveKey(AlgName(alg)).ok()) continue;
      Status inserted = GenerateAndInsert(alg).status();
      if (!inserted.ok() && inserted.code() != ErrorCode::kAlreadyExists) return inserted;
    }
    return Reload();
  }

  Result<SigningKey> ActiveKey(std::string_view alg) const override {
    if (!StoredAlg(alg)) return InvalidArgument("no signing keys for this alg");
    auto snapshot = Current();
    const CachedKey* best = nullptr;
    for (const auto& key : snapshot->keys) {
      if (key.alg != alg || !key.signer) continue;
      if (best == nullptr || Newer(key, *best)) best = &key;
    }
    if (best == nullptr) return NotFound("no active signing key");
    return *best->signer;
  }

  nlohmann::json Jwks() const override { return JwksOf(*Current()); }

  std::string JwksBody() const override {
    auto snapshot = Current();
    return snapshot->jwks_body.empty() ? JwksOf(*snapshot).dump() : snapshot->jwks_body;
  }

  Result<crypto::PublicKey> Lookup(std::string_view kid) override {
    if (auto found = Find(kid)) return *found;
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
            .count();
    int64_t last = last_miss_reload_ms_.load();
    const int64_t interval_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(kMissReloadInterval).count();
    if (now_ms - last < interval_ms ||
        !last_miss_reload_ms_.compare_exchange_strong(last, now_ms)) {
      return NotFound("unknown kid");
    }
    GH_RETURN_IF_ERROR(Reload());
    if (auto found = Find(kid)) return *found;
    return NotFound("unknown kid");
  }

  Status Reload() override {
    GH_ASSIGN_OR_RETURN(std::vector<storage::SigningKeyRecord> records, repo_.List());
    auto next = std::make_shared<Snapshot>();
    for (const auto& record : records) {
      if (record.status != kActive && record.status != kRetired) continue;
      Result<CachedKey> key = LoadRecord(record);
      if (!key.ok()) {
        log::Warn("signing key skipped", {{"kid", record.kid}, {"error", key.status().ToString()}});
        continue;
      }
      next->keys.push_back(std::move(*key));
    }
    next->jwks_body = JwksOf(*next).dump();
    std::unique_lock lock(mutex_);
    snapshot_ = std::move(next);
    return Status::Ok();
  }

  Result<std::string> Rotate(std::string_view alg_name) override {
    auto alg = StoredAlg(alg_name);
    if (!alg) return InvalidArgument("no signing keys for this alg");
    std::lock_guard write(write_mutex_);
    GH_RETURN_IF_ERROR(Reload());
    std::vector<std::pair<std::string, int64_t>> previous;
    for (const auto& key : Current()->keys) {
      if (key.alg == alg_name && key.status == kActive) previous.emplace_back(key.kid, key.version);
    }
    GH_ASSIGN_OR_RETURN(std::string kid, GenerateAndInsert(*alg));
    for (const auto& [old_kid, version] : previous) {
      Status s = repo_.SetStatus(old_kid, version, kRetired);
      // Conflict/NotFound: another node changed that key first; its status is
      // theirs to decide.
      if (!s.ok() && s.code() != ErrorCode::kConflict && s.code() != ErrorCode::kNotFound) {
        return s;
      }
    }
    GH_RETURN_IF_ERROR(Reload());
    return kid;
  }

 private:
  static nlohmann::json JwksOf(const Snapshot& snapshot) {
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& key : snapshot.keys) {
      // Rebuilt from the key rather than the stored JSON text, so nothing a
      // record carries (e.g. a private member) can leak into the JWKS.
      keys.push_back(PublicJwk(key.public_key, key.kid, key.alg));
    }
    return {{"keys", std::move(keys)}};
  }

  std::shared_ptr<const Snapshot> Current() const {
    std::shared_lock lock(mutex_);
    return snapshot_;
  }

  std::optional<crypto::PublicKey> Find(std::string_view kid) const {
    auto snapshot = Current();
    for (const auto& key : snapshot->keys) {
      if (key.kid == kid) return key.public_key;
    }
    return std::nullopt;
  }

  // Returns the kid of the new key.
  Result<std::string> GenerateAndInsert(Alg alg) {
    Result<crypto::PrivateKey> key = alg == Alg::kRS256 ? crypto::PrivateKey::GenerateRsa(2048)
                                                        : crypto::PrivateKey::GenerateEcP256();
    if (!key.ok()) return key.status();
    const crypto::PublicKey pub = key->Public();
    storage::SigningKeyRecord record;
    record.kid = Thumbprint(pub);
    record.alg = std::string(AlgName(alg));
    GH_ASSIGN_OR_RETURN(record.private_pem, key->ToPem());
    record.public_jwk = PublicJwk(pub, record.kid, record.alg).dump();
    record.created_at = clock_.NowSeconds();
    record.status = kActive;
    GH_RETURN_IF_ERROR(repo_.Insert(record));
    log::Info("signing key created", {{"kid", record.kid}, {"alg", record.alg}});
    return record.kid;
  }

  storage::SigningKeyRepo& repo_;
  Clock& clock_;
  std::mutex write_mutex_;  // one EnsureKeys/Rotate at a time in this process
  mutable std::shared_mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::atomic<int64_t> last_miss_reload_ms_{INT64_MIN / 2};
};

}  // namespace

Result<std::unique_ptr<KeyStore>> KeyStore::Create(storage::SigningKeyRepo& repo, Clock& clock) {
  auto store = std::make_unique<KeyStoreImpl>(repo, clock);
  GH_RETURN_IF_ERROR(store->Reload());
  return std::unique_ptr<KeyStore>(std::move(store));
}

}  // namespace gatehouse::jose
