#pragma once
// Internal to the SQLite backend: brings a database to the newest schema.

#include "core/clock.h"
#include "core/status.h"
#include "storage/sqlite/connection.h"

namespace gatehouse::storage::sqlite {

// Applies every step of SchemaMigrations() the database lacks, each in its own
// BEGIN IMMEDIATE transaction that re-checks schema_migrations first, so two
// processes opening the same file at once never apply a step twice.
// InvalidArgument (nothing changed) if the database records a version newer
// than this build knows; Unavailable if the file stays locked past the busy
// timeout.
Status ApplyMigrations(Connection& conn, Clock& clock);

// The highest applied version, 0 for a new database.
Result<int> AppliedSchemaVersion(Connection& conn);

}  // namespace gatehouse::storage::sqlite
