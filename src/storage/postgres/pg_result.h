#pragma once
// Internal to the PostgreSQL backend: one query's rows (text format), owned.
// Not thread-safe (a value type, used by one thread).

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace gatehouse::storage::postgres {

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* res) : res_(res, &PQclear) {}

  int rows() const { return res_ ? PQntuples(res_.get()) : 0; }
  // Rows changed by INSERT/UPDATE/DELETE (0 for other statements).
  int64_t affected() const;

  bool IsNull(int row, int col) const { return PQgetisnull(res_.get(), row, col) != 0; }
  std::string Text(int row, int col) const;
  int64_t Int64(int row, int col) const;
  std::optional<int64_t> OptionalInt64(int row, int col) const;
  // A bytea column (text format "\x..." hex), decoded to raw bytes.
  std::string Bytes(int row, int col) const;

 private:
  std::shared_ptr<PGresult> res_;
};

}  // namespace gatehouse::storage::postgres
