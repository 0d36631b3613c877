#pragma once
// Internal to the SQLite backend: LogRepo on the `logs` table (migration 3),
// indexed for the Management API's filters (type, user, client, date).
// Thread-safe.

#include "core/clock.h"
#include "storage/log_ids.h"
#include "storage/log_repo.h"
#include "storage/sqlite/connection_pool.h"

namespace gatehouse::storage::sqlite {

class SqliteLogRepo final : public LogRepo {
 public:
  SqliteLogRepo(ConnectionPool& pool, Clock& clock);

  Result<LogEvent> Append(LogEvent event) override;
  Status AppendBatch(std::vector<LogEvent> events) override;
  Result<LogEvent> Get(const std::string& log_id) override;
  Result<LogPage> Query(const LogQuery& query) override;
  Result<int64_t> PurgeOlderThan(int64_t before_ms, int64_t max) override;

 private:
  static Status Insert(Connection& conn, const LogEvent& e);
  // Time-ordered id: zero-padded date, a per-process counter, then random
  // digits so two processes appending in the same millisecond never collide.
  ConnectionPool& pool_;
  Clock& clock_;
  LogIds ids_;
};

}  // namespace gatehouse::storage::sqlite
