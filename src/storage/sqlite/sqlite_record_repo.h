#pragma once
// Internal to the SQLite backend: RecordRepo on the `records` table. Every
// method is one SQL statement (atomic in autocommit), except that a failed
// compare-and-set reads once more to tell NotFound from Conflict. Thread-safe.

#include "core/clock.h"
#include "storage/record_repo.h"
#include "storage/sqlite/connection_pool.h"

namespace gatehouse::storage::sqlite {

class SqliteRecordRepo final : public RecordRepo {
 public:
  SqliteRecordRepo(ConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

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
  Result<int64_t> PurgeExpired(int64_t max) override;

 private:
  // After a conditional write changed nothing: NotFound if no live record,
  // else Conflict.
  Status Explain(Connection& conn, const std::string& kind, const std::string& id, int64_t now);

  ConnectionPool& pool_;
  Clock& clock_;
};

}  // namespace gatehouse::storage::sqlite
