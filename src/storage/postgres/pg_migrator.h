#pragma once
// Internal to the PostgreSQL backend: the shared migration list
// (storage/migrations.h) rendered with BYTEA, recorded in schema_migrations.

#include "core/clock.h"
#include "core/status.h"
#include "storage/postgres/pg_connection.h"

namespace gatehouse::storage::postgres {

// The highest applied version (0 on an empty database, also when the
// schema_migrations table does not exist yet).
Result<int> AppliedPgSchemaVersion(PgConnection& conn);

// Applies every pending step in one transaction under a cluster-wide advisory
// lock, so nodes (or `gatehouse migrate` runs) starting together apply each
// step exactly once and nobody sees half a schema. InvalidArgument if the
// database is newer than this build knows. Returns the version before.
Result<int> ApplyPgMigrations(PgConnection& conn, Clock& clock);

}  // namespace gatehouse::storage::postgres
