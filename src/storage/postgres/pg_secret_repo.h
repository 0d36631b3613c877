#pragma once
// Internal to the PostgreSQL backend: SecretRepo on the `secrets` table. The
// first writer wins (INSERT ... ON CONFLICT DO NOTHING, then read back), so
// every node sharing the database ends up with the same value. Thread-safe.

#include "core/clock.h"
#include "storage/postgres/pg_connection_pool.h"
#include "storage/secret_repo.h"

namespace gatehouse::storage::postgres {

class PgSecretRepo final : public SecretRepo {
 public:
  PgSecretRepo(PgConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

  Result<std::string> GetOrCreate(const std::string& name,
                                  const std::function<std::string()>& generate) override;

 private:
  PgConnectionPool& pool_;
  Clock& clock_;
};

}  // namespace gatehouse::storage::postgres
