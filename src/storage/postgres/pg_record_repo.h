#pragma once
// Internal to the PostgreSQL backend: RecordRepo on the `records` table.
// Every write is one statement (atomic in autocommit; READ COMMITTED re-checks
// the version predicate of a concurrently updated row, so of racing
// compare-and-sets exactly one matches). Thread-safe.

#include "core/clock.h"
#include "storage/postgres/pg_connection_pool.h"
#include "storage/record_repo.h"

namespace gatehouse::storage::postgres {

class PgRecordRepo final : public RecordRepo {
 public:
  PgRecordRepo(PgConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

  Result<Record> Create(const std::string& kind, const std::string& id, const std::string& data,
                        std::optional<int64_t> expires_at) override;
  Result<Record> Get(const std::string& kind, const std::string& id) override;
  Result<Record> CompareAndSet(const std::string& kind, const std::string& id,
                               int64_t expected_version, const std::string& data,
                               std::optional<int64_t> expires_at) override;
  Status DeleteIfVersion(const std::string& kind, const std::string& id,
                         int64_t expected_version) override;
  Status Delete(const std::string& kind, const std::string& id) override;
  Result<std::vector<Record>> List(const std::string& kind, const std::string& after_id,
                                   int limit) override;
  // Rows locked by another purger are skipped (FOR UPDATE SKIP LOCKED), so
  // every node may purge at once without waiting on the others.
  Result<int64_t> PurgeExpired(int64_t max) override;

 private:
  PgConnectionPool& pool_;
  Clock& clock_;
};

}  // namespace gatehouse::storage::postgres
