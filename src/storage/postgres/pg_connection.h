#pragma once
// Internal to the PostgreSQL backend: one libpq connection with its prepared
// statements (each distinct SQL text is prepared once per connection, on first
// use) and the classification of failures the retry policy needs.
// Not thread-safe: one thread at a time, which PgConnectionPool guarantees.

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "storage/postgres/pg_result.h"

namespace gatehouse::storage::postgres {

// One query parameter: NULL, text, or raw bytes (sent in binary format, for
// bytea columns, so any byte survives).
struct PgParam {
  std::optional<std::string> value;
  bool binary = false;

  static PgParam Text(std::string v) { return {std::move(v), false}; }
  static PgParam Bytes(std::string v) { return {std::move(v), true}; }
  static PgParam Int(int64_t v) { return {std::to_string(v), false}; }
  static PgParam OptionalInt(std::optional<int64_t> v) {
    return v ? Int(*v) : PgParam{std::nullopt, false};
  }
};

// Why the last failed call failed, for the retry policy.
enum class PgFailure {
  kNone,
  kConnection,     // connection lost or refused: unknown whether a write happened
  kSerialization,  // 40001/40P01: the transaction was rolled back; safe to redo
  kOther,
};

struct PgConnectOptions {
  std::string url;                             // libpq URI or conninfo
  std::string schema;                          // "" = the server's default search_path
  std::string application_name = "gatehouse";  // shown in pg_stat_activity
  std::chrono::seconds connect_timeout{3};
};

class PgConnection {
 public:
  // Connects. Unavailable when the server cannot be reached or refuses
  // (starting up, shutting down, too many connections), InvalidArgument for a
  // malformed URL, Internal otherwise.
  static Result<std::unique_ptr<PgConnection>> Open(const PgConnectOptions& options);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement (prepared on first use on this connection) with
  // `params` as $1..$n. Errors: AlreadyExists for a unique violation (23505),
  // Unavailable for a lost connection, serialization failure or deadlock,
  // Internal otherwise; last_failure() tells which.
  Result<PgResult> Execute(const std::string& sql, const std::vector<PgParam>& params = {});
  // Runs one or more statements without parameters or caching (DDL, BEGIN).
  Status ExecScript(const std::string& sql);

  // Ends a failed transaction; keeps last_failure() of the failure.
  void Rollback();

  PgFailure last_failure() const { return last_failure_; }
  // False once the connection is known to be unusable.
  bool healthy() const;
  // Reads whatever the server sent while the connection sat idle (e.g. the
  // termination notice of a restarting server) so healthy() sees it. Cheap.
  void Probe();

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  Status Fail(PGresult* res, const std::string& what);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  PgFailure last_failure_ = PgFailure::kNone;
  bool broken_ = false;
};

// Runs `body` in BEGIN <mode> ... COMMIT; rolls back when body or commit fails.
template <typename Body>
Status InPgTransaction(PgConnection& conn, const char* begin, Body&& body) {
  GH_RETURN_IF_ERROR(conn.ExecScript(begin));
  Status s = body();
  if (s.ok()) s = conn.ExecScript("COMMIT");
  if (!s.ok()) conn.Rollback();
  return s;
}

}  // namespace gatehouse::storage::postgres
