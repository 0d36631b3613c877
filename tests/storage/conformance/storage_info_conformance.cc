// Storage-level facts every backend reports the same way.

#include <chrono>
#include <future>
#include <memory>

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

// Group commit (storage.h): whether a backend syncs per commit or in groups,
// a waiter is called back once the writes before it are on disk.
TEST_P(StorageInfoConformance, WhenChangesDurableCallsBackAfterWrites) {
  ASSERT_TRUE(storage_->records().Create("k", "a", "x", std::nullopt).ok());
  auto called = std::make_shared<std::promise<void>>();
  auto waited = called->get_future();
  storage_->WhenChangesDurable([called] { called->set_value(); });
  ASSERT_EQ(waited.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(storage_->ChangesDurable());
  // With nothing new written, a waiter is called at once, on this thread.
  bool inline_call = false;
  storage_->WhenChangesDurable([&] { inline_call = true; });
  EXPECT_TRUE(inline_call);
}

}  // namespace
}  // namespace gatehouse::storage::testing
