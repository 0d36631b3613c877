// Group commit in the SQLite backend: the WalSyncer shares one fdatasync among
// every commit made before it, and never calls a waiter back early.

#include "storage/sqlite/wal_syncer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::storage::testing {
namespace {

using namespace std::chrono_literals;
using sqlite::ConnectionPool;
using sqlite::WalSyncer;

constexpr auto kNoSweep = std::chrono::hours(1);

class WalSyncerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Group-commit connections on a new file, one kept open (so the WAL file
    // exists and stays) with a table to write to.
    auto lease = pool_.Write();
    ASSERT_TRUE(lease.ok()) << lease.status().ToString();
    ASSERT_TRUE((*lease)->Exec("CREATE TABLE t(x INTEGER)").ok());
  }
  void TearDown() override {
    syncer_.reset();
    RemoveDbFiles(path_);
  }
  void StartSyncer(std::chrono::milliseconds sweep) {
    auto started = WalSyncer::Start(pool_, path_, sweep);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    syncer_ = std::move(started).value();
  }
  void Write() {
    auto lease = pool_.Write();
    ASSERT_TRUE(lease.ok());
    ASSERT_TRUE((*lease)->Exec("INSERT INTO t VALUES (1)").ok());
  }

  std::string path_ = NewTempDbPath();
  ConnectionPool pool_{path_, 1000ms, 4, /*durable_commits=*/false};
  std::unique_ptr<WalSyncer> syncer_;
};

TEST_F(WalSyncerTest, MissingWalFileIsAnError) {
  auto started = WalSyncer::Start(pool_, path_ + ".absent", kNoSweep);
  EXPECT_EQ(started.status().code(), ErrorCode::kInternal);
}

TEST_F(WalSyncerTest, NothingWrittenSinceLastSyncIsCalledInline) {
  StartSyncer(kNoSweep);
  Write();
  auto synced = std::make_shared<std::promise<void>>();
  auto waited = synced->get_future();
  syncer_->WhenSynced([synced] { synced->set_value(); });
  ASSERT_EQ(waited.wait_for(10s), std::future_status::ready);
  uint64_t syncs = syncer_->syncs();
  EXPECT_TRUE(syncer_->AllSynced());
  bool called = false;
  syncer_->WhenSynced([&] { called = true; });
  EXPECT_TRUE(called);
  EXPECT_EQ(syncer_->syncs(), syncs);
}

// Deterministic grouping: while a write lease is held, the syncer cannot
// finish a sync (it waits for the writer mutex to know which writes it
// covers), so every waiter registered meanwhile shares the one sync.
TEST_F(WalSyncerTest, WaitersDuringOneSyncShareIt) {
  StartSyncer(kNoSweep);
  Write();
  EXPECT_FALSE(syncer_->AllSynced());
  std::atomic<int> called{0};
  {
    auto held = pool_.Write();
    ASSERT_TRUE(held.ok());
    ASSERT_TRUE((*held)->Exec("INSERT INTO t VALUES (2)").ok());
    for (int i = 0; i < 5; ++i) syncer_->WhenSynced([&] { ++called; });
    std::this_thread::sleep_for(50ms);  // give a broken syncer the chance to call early
    EXPECT_EQ(called.load(), 0);
  }  // the held write commits and ends here
  for (int i = 0; i < 1000 && called.load() < 5; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(called.load(), 5);
  EXPECT_EQ(syncer_->syncs(), 1u);
  EXPECT_TRUE(syncer_->AllSynced());
}

TEST_F(WalSyncerTest, CommitsNobodyWaitsForAreSyncedByTheSweep) {
  StartSyncer(20ms);
  Write();
  for (int i = 0; i < 1000 && !syncer_->AllSynced(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(syncer_->AllSynced());
  EXPECT_GE(syncer_->syncs(), 1u);
}

TEST_F(WalSyncerTest, StoppingSyncsAndReleasesEveryWaiter) {
  StartSyncer(kNoSweep);
  std::atomic<int> called{0};
  for (int i = 0; i < 3; ++i) {
    Write();
    syncer_->WhenSynced([&] { ++called; });
  }
  syncer_.reset();
  EXPECT_EQ(called.load(), 3);
}

TEST_F(WalSyncerTest, ConcurrentWritersAndWaitersAreAllReleased) {
  StartSyncer(kNoSweep);
  constexpr int kThreads = 6, kEach = 40;
  std::atomic<int> called{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Write();
        auto done = std::make_shared<std::promise<void>>();
        auto waited = done->get_future();
        syncer_->WhenSynced([&called, done] {
          ++called;
          done->set_value();
        });
        waited.wait();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(called.load(), kThreads * kEach);
  EXPECT_TRUE(syncer_->AllSynced());
}

}  // namespace
}  // namespace gatehouse::storage::testing
