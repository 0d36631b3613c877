// The whole storage conformance suite on the PostgreSQL backend (one fresh
// schema per test). Skipped without GATEHOUSE_TEST_POSTGRES_URL.

#include "storage/conformance/storage_conformance.h"
#include "storage/postgres_temp.h"

GATEHOUSE_STORAGE_CONFORMANCE(Postgres, ::gatehouse::storage::testing::OpenTempPostgres);
