#pragma once
// Internal to the SQLite backend: SigningKeyRepo on the `signing_keys` table.
// Private PEMs are stored as given (no encryption at rest). Thread-safe.

#include "core/clock.h"
#include "storage/signing_key_repo.h"
#include "storage/sqlite/connection_pool.h"

namespace gatehouse::storage::sqlite {

class SqliteSigningKeyRepo final : public SigningKeyRepo {
 public:
  SqliteSigningKeyRepo(ConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

  Status Insert(const SigningKeyRecord& key) override;
  Result<SigningKeyRecord> Get(const std::string& kid) override;
  Result<std::vector<SigningKeyRecord>> List() override;
  Status SetStatus(const std::string& kid, int64_t expected_version,
                   const std::string& status) override;

 private:
  ConnectionPool& pool_;
  Clock& clock_;
};

}  // namespace gatehouse::storage::sqlite
