// The whole storage conformance suite on the SQLite backend, with a sync per
// commit (commands) and with group commit (the server).

#include "storage/conformance/storage_conformance.h"
#include "storage/sqlite_temp.h"

GATEHOUSE_STORAGE_CONFORMANCE(Sqlite, ::gatehouse::storage::testing::OpenTempSqlite);
GATEHOUSE_STORAGE_CONFORMANCE(SqliteGroupCommit,
                              ::gatehouse::storage::testing::OpenTempSqliteGroupCommit);
