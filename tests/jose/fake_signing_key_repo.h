#pragma once
// An in-memory SigningKeyRepo honouring the storage contract, for jose tests
// (the SQLite backend is tested by the storage conformance suite).

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

#include "storage/signing_key_repo.h"

namespace gatehouse::jose::testing {

class FakeSigningKeyRepo : public storage::SigningKeyRepo {
 public:
  Status Insert(const storage::SigningKeyRecord& key) override {
    std::lock_guard lock(mu_);
    ++inserts;
    if (!keys_.emplace(key.kid, key).second) return AlreadyExists("kid taken");
    return Status::Ok();
  }
  Result<storage::SigningKeyRecord> Get(const std::string& kid) override {
    std::lock_guard lock(mu_);
    auto it = keys_.find(kid);
    if (it == keys_.end()) return NotFound("no such key");
    return it->second;
  }
  Result<std::vector<storage::SigningKeyRecord>> List() override {
    std::lock_guard lock(mu_);
    ++lists;
    if (fail_list) return Unavailable("database is down");
    std::vector<storage::SigningKeyRecord> out;
    for (const auto& [kid, key] : keys_) out.push_back(key);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.created_at, a.kid) < std::tie(b.created_at, b.kid);
    });
    return out;
  }
  Status SetStatus(const std::string& kid, int64_t expected_version,
                   const std::string& status) override {
    std::lock_guard lock(mu_);
    auto it = keys_.find(kid);
    if (it == keys_.end()) return NotFound("no such key");
    if (it->second.version != expected_version) return Conflict("version moved");
    it->second.status = status;
    ++it->second.version;
    return Status::Ok();
  }

  int inserts = 0;
  int lists = 0;
  bool fail_list = false;

 private:
  std::mutex mu_;
  std::map<std::string, storage::SigningKeyRecord> keys_;
};

}  // namespace gatehouse::jose::testing
