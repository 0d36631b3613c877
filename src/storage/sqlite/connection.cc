#include "storage/sqlite/connection.h"

#include <thread>

namespace gatehouse::storage::sqlite {

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     std::chrono::milliseconds busy_timeout,
                                                     bool durable_commits) {
  sqlite3* db = nullptr;
  // NOMUTEX: the pool hands a connection to one thread at a time, so SQLite's
  // own per-connection mutex would only cost time.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteStatus(db, rc, "open " + path);
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  // WAL lets readers run beside the single writer. synchronous=FULL fsyncs the
  // WAL on every commit, so a returned success survives power loss; NORMAL
  // survives a process crash, and the server's WalSyncer adds the power-safe
  // sync once per group of commits (sqlite_storage.h).
  // While another process creates the schema of a new file, the switch to WAL
  // fails with SQLITE_BUSY at once (SQLite runs no busy handler for it), so
  // retry it for up to busy_timeout like any other lock wait.
  const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
  while (true) {
    Status wal = conn->Exec("PRAGMA journal_mode=WAL");
    if (wal.ok()) break;
    if (wal.code() != ErrorCode::kUnavailable || std::chrono::steady_clock::now() >= deadline) {
      return wal;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  GH_RETURN_IF_ERROR(
      conn->Exec(durable_commits ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  GH_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys=ON"));
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Statement> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Statement(db_, it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "prepare");
  cache_.emplace(sql, stmt);
  return Statement(db_, stmt);
}

Status Connection::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "exec");
  return Status::Ok();
}

}  // namespace gatehouse::storage::sqlite
