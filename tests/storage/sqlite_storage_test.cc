// The whole storage conformance suite on the SQLite backend.

#include "storage/conformance/storage_conformance.h"
#include "storage/sqlite_temp.h"

GATEHOUSE_STORAGE_CONFORMANCE(Sqlite, ::gatehouse::storage::testing::OpenTempSqlite);
