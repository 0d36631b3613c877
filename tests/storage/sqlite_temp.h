#pragma once
// Test helpers for the SQLite backend: throwaway database files.

#include <memory>
#include <string>

#include "core/clock.h"
#include "storage/sqlite/sqlite_storage.h"

namespace gatehouse::storage::testing {

// A fresh path under the test temp dir, unique within the machine run.
std::string NewTempDbPath();

// Removes the database file and its -wal/-shm companions.
void RemoveDbFiles(const std::string& path);

// Opens a new SQLite storage on a fresh temp file that is deleted when the
// storage is destroyed. Null (after ADD_FAILURE) if opening fails.
std::unique_ptr<Storage> OpenTempSqlite(Clock& clock);
std::unique_ptr<Storage> OpenTempSqliteWith(Clock& clock, SqliteOptions options);
// The same with group commit (as `gatehouse serve` opens it).
std::unique_ptr<Storage> OpenTempSqliteGroupCommit(Clock& clock);

}  // namespace gatehouse::storage::testing
