#include "storage/postgres/pg_migrator.h"

#include <string>

#include "storage/migrations.h"

namespace gatehouse::storage::postgres {
namespace {

// pg_advisory_xact_lock key: "gatehouse migrations" (any constant the
// application does not use elsewhere).
constexpr char kLockKey[] = "7166451234001";

Status CheckNotNewer(int applied) {
  const int latest = LatestSchemaVersion();
  if (applied <= latest) return Status::Ok();
  return InvalidArgument("database schema version " + std::to_string(applied) +
                         " is newer than this build knows (" + std::to_string(latest) +
                         "); run a newer gatehouse or restore a matching backup");
}

}  // namespace

Result<int> AppliedPgSchemaVersion(PgConnection& conn) {
  GH_ASSIGN_OR_RETURN(auto exists,
                      conn.Execute("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  if (exists.rows() != 1 || exists.Text(0, 0) != "t") return 0;
  GH_ASSIGN_OR_RETURN(auto r, conn.Execute("SELECT COALESCE(MAX(version), 0) FROM "
                                           "schema_migrations"));
  return static_cast<int>(r.Int64(0, 0));
}

Result<int> ApplyPgMigrations(PgConnection& conn, Clock& clock) {
  int before = 0;
  GH_RETURN_IF_ERROR(InPgTransaction(conn, "BEGIN", [&]() -> Status {
    GH_RETURN_IF_ERROR(
        conn.Execute(std::string("SELECT pg_advisory_xact_lock(") + kLockKey + ")").status());
    GH_RETURN_IF_ERROR(conn.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
    GH_ASSIGN_OR_RETURN(before, AppliedPgSchemaVersion(conn));
    GH_RETURN_IF_ERROR(CheckNotNewer(before));
    for (const Migration& m : SchemaMigrations()) {
      if (m.version <= before) continue;
      GH_RETURN_IF_ERROR(conn.ExecScript(RenderMigrationSql(m.sql, "BYTEA")));
      GH_RETURN_IF_ERROR(
          conn.Execute("INSERT INTO schema_migrations (version, description, "
                       "applied_at) VALUES ($1, $2, $3)",
                       {PgParam::Int(m.version), PgParam::Text(std::string(m.description)),
                        PgParam::Int(clock.NowSeconds())})
              .status());
    }
    return Status::Ok();
  }));
  return before;
}

}  // namespace gatehouse::storage::postgres
