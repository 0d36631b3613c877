// Storage-level facts every backend reports the same way.

#include "storage/conformance/storage_conformance.h"

namespace gatehouse::storage::testing {
namespace {

TEST_P(StorageInfoConformance, FreshStorageIsAtTheLatestSchema) {
  EXPECT_GE(storage_->LatestSchemaVersion(), 1);
  EXPECT_EQ(storage_->SchemaVersion(), storage_->LatestSchemaVersion());
  EXPECT_FALSE(storage_->Describe().empty());
}

TEST_P(StorageInfoConformance, FreshStorageIsEmpty) {
  EXPECT_TRUE(storage_->signing_keys().List()->empty());
  EXPECT_TRUE(storage_->records().List("transaction", "", 10)->empty());
  EXPECT_EQ(storage_->records().PurgeExpired(1000).value(), 0);
}

}  // namespace
}  // namespace gatehouse::storage::testing
