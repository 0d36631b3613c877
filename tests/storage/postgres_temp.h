#pragma once
// Test helpers for the PostgreSQL backend. The server comes from
// GATEHOUSE_TEST_POSTGRES_URL (scripts/with-postgres, which scripts/test uses,
// sets it); without it the PostgreSQL tests skip.

#include <memory>
#include <string>

#include "core/clock.h"
#include "storage/postgres/postgres_storage.h"

namespace gatehouse::storage::testing {

// The test server's URL, or "" when GATEHOUSE_TEST_POSTGRES_URL is unset.
std::string TestPostgresUrl();

// Creates a fresh, empty schema and returns its name (ADD_FAILURE and "" on error).
std::string NewTempSchema();
// Drops the schema and everything in it.
void DropSchema(const std::string& schema);

// A migrated PostgreSQL storage in a fresh schema, dropped with the storage.
// Marks the test skipped (and returns null) without a test server; null after
// ADD_FAILURE if opening fails.
std::unique_ptr<Storage> OpenTempPostgres(Clock& clock);

}  // namespace gatehouse::storage::testing
