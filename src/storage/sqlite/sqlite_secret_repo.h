#pragma once
// Internal to the SQLite backend: SecretRepo on the `secrets` table. Values
// are stored as given (no encryption at rest: protect the database file).
// Thread-safe.

#include "core/clock.h"
#include "storage/secret_repo.h"
#include "storage/sqlite/connection_pool.h"

namespace gatehouse::storage::sqlite {

class SqliteSecretRepo final : public SecretRepo {
 public:
  SqliteSecretRepo(ConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

  Result<std::string> GetOrCreate(const std::string& name,
                                  const std::function<std::string()>& generate) override;

 private:
  // The stored value, or nullopt when absent.
  Result<std::optional<std::string>> Find(const std::string& name);

  ConnectionPool& pool_;
  Clock& clock_;
};

}  // namespace gatehouse::storage::sqlite
