#pragma once
// Internal to the PostgreSQL backend: LogRepo on the `logs` table. Ids have
// the SQLite backend's time-ordered shape; an id collision between nodes (the
// same millisecond, counter and random suffix) is retried with a fresh id.
// Thread-safe.

#include "core/clock.h"
#include "storage/log_ids.h"
#include "storage/log_repo.h"
#include "storage/postgres/pg_connection_pool.h"

namespace gatehouse::storage::postgres {

class PgLogRepo final : public LogRepo {
 public:
  PgLogRepo(PgConnectionPool& pool, Clock& clock);

  Result<LogEvent> Append(LogEvent event) override;
  Result<LogEvent> Get(const std::string& log_id) override;
  // Count and page come from one REPEATABLE READ snapshot.
  Result<LogPage> Query(const LogQuery& query) override;
  // Safe on every node at once (rows another purger holds are skipped).
  Result<int64_t> PurgeOlderThan(int64_t before_ms, int64_t max) override;

 private:
  PgConnectionPool& pool_;
  Clock& clock_;
  LogIds ids_;
};

}  // namespace gatehouse::storage::postgres
