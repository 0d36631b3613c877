#include "storage/sqlite/migrator.h"

#include "storage/migrations.h"

namespace gatehouse::storage::sqlite {
namespace {

Result<bool> IsApplied(Connection& conn, int version) {
  GH_ASSIGN_OR_RETURN(auto s, conn.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1"));
  s.BindInt64(1, version);
  return s.Step();
}

}  // namespace

Result<int> AppliedSchemaVersion(Connection& conn) {
  GH_ASSIGN_OR_RETURN(auto s, conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM "
                                           "schema_migrations"));
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Internal("no row from MAX(version)");
  return static_cast<int>(s.ColumnInt64(0));
}

Status ApplyMigrations(Connection& conn, Clock& clock) {
  GH_RETURN_IF_ERROR(InImmediateTransaction(conn, [&] {
    return conn.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  }));
  GH_ASSIGN_OR_RETURN(int applied, AppliedSchemaVersion(conn));
  const int latest = LatestSchemaVersion();
  if (applied > latest) {
    return InvalidArgument("database schema version " + std::to_string(applied) +
                           " is newer than this build knows (" + std::to_string(latest) +
                           "); run a newer gatehouse or restore a matching backup");
  }
  for (const Migration& m : SchemaMigrations()) {
    GH_RETURN_IF_ERROR(InImmediateTransaction(conn, [&]() -> Status {
      // Re-checked under the write lock: another process may have applied it
      // between our read above and this transaction.
      GH_ASSIGN_OR_RETURN(bool done, IsApplied(conn, m.version));
      if (done) return Status::Ok();
      GH_RETURN_IF_ERROR(conn.Exec(RenderMigrationSql(m.sql, "BLOB")));
      GH_ASSIGN_OR_RETURN(auto s, conn.Prepare("INSERT INTO schema_migrations (version, "
                                               "description, applied_at) VALUES (?1, ?2, ?3)"));
      s.BindInt64(1, m.version);
      s.BindText(2, m.description);
      s.BindInt64(3, clock.NowSeconds());
      return s.Run();
    }));
  }
  return Status::Ok();
}

}  // namespace gatehouse::storage::sqlite
