#pragma once
// The schema, as one ordered list of migration steps shared by every SQL
// backend. Steps are written in portable SQL (TEXT, BIGINT, INTEGER, composite
// primary keys, partial indexes); the one dialect difference, the type of
// binary-safe columns (SQLite BLOB, PostgreSQL BYTEA), is the placeholder
// ${BYTES}, replaced by RenderMigrationSql.
//
// Rules for adding a step: append only, never edit a released step; the
// version is the previous one + 1; one step may hold several statements.

#include <span>
#include <string>
#include <string_view>

namespace gatehouse::storage {

struct Migration {
  int version;                   // 1, 2, 3, ... without gaps
  std::string_view description;  // recorded in schema_migrations
  std::string_view sql;          // one or more ';'-separated statements
};

// Every step, in version order. The list lives for the whole process.
std::span<const Migration> SchemaMigrations();

// The version of the last step: the newest schema this build knows.
int LatestSchemaVersion();

// `sql` with every ${BYTES} replaced by `bytes_type` (e.g. "BLOB", "BYTEA").
std::string RenderMigrationSql(std::string_view sql, std::string_view bytes_type);

}  // namespace gatehouse::storage
