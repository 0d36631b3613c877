#pragma once
// Internal to the SQLite backend: one sqlite3 handle configured for the
// contract (WAL, synchronous=FULL or NORMAL, foreign keys, busy timeout), with its
// prepared statements cached. Not thread-safe: one thread at a time, which the
// ConnectionPool guarantees.

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "storage/sqlite/statement.h"

namespace gatehouse::storage::sqlite {

class Connection {
 public:
  // Opens (creating the file if absent) and applies the pragmas. Unavailable
  // if the database stays locked past `busy_timeout`, Internal otherwise.
  // `durable_commits`: synchronous=FULL, every commit is fsynced before it
  // returns; false: synchronous=NORMAL, a commit survives kill -9 but reaches
  // the disk only at the next WAL sync (WalSyncer) or checkpoint.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  std::chrono::milliseconds busy_timeout,
                                                  bool durable_commits = true);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement for `sql` (one statement). Only one Statement
  // per distinct sql may be alive at a time.
  Result<Statement> Prepare(const std::string& sql);
  // Runs one or more statements without caching (DDL, BEGIN/COMMIT).
  Status Exec(const std::string& sql);
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  int64_t Changes() const { return sqlite3_changes64(db_); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT (the write lock is taken up
// front, so a read-then-write inside cannot lose a race or deadlock on lock
// upgrade); rolls back when `body` or the commit fails.
template <typename Body>
Status InImmediateTransaction(Connection& conn, Body&& body) {
  GH_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  Status s = body();
  if (s.ok()) s = conn.Exec("COMMIT");
  if (!s.ok()) (void)conn.Exec("ROLLBACK");
  return s;
}

// Runs `body` inside a deferred BEGIN ... COMMIT: several reads (a count and a
// page) see one snapshot. Rolls back when `body` or the commit fails.
template <typename Body>
Status InReadTransaction(Connection& conn, Body&& body) {
  GH_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  Status s = body();
  if (s.ok()) s = conn.Exec("COMMIT");
  if (!s.ok()) (void)conn.Exec("ROLLBACK");
  return s;
}

}  // namespace gatehouse::storage::sqlite
