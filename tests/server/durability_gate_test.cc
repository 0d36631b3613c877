#include "server/durability_gate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_storage.h"

namespace gatehouse::server {
namespace {

// A real storage whose group commit the test drives by hand.
class ManualDurability final : public storage::Storage {
 public:
  explicit ManualDurability(std::unique_ptr<storage::Storage> inner) : inner_(std::move(inner)) {}
  storage::SigningKeyRepo& signing_keys() override { return inner_->signing_keys(); }
  storage::SecretRepo& secrets() override { return inner_->secrets(); }
  storage::RecordRepo& records() override { return inner_->records(); }
  storage::UserRepo& users() override { return inner_->users(); }
  storage::RuleRepo& rules() override { return inner_->rules(); }
  storage::LogRepo& logs() override { return inner_->logs(); }
  int SchemaVersion() override { return inner_->SchemaVersion(); }
  int LatestSchemaVersion() const override { return inner_->LatestSchemaVersion(); }
  std::string Describe() const override { return inner_->Describe(); }
  bool ChangesDurable() override { return durable_; }
  void WhenChangesDurable(std::function<void()> done) override {
    std::lock_guard lock(mu_);
    waiting_.push_back(std::move(done));
  }

  std::atomic<bool> durable_{false};
  // Runs every waiting callback, as the syncer thread would.
  void SyncNow() {
    std::vector<std::function<void()>> run;
    {
      std::lock_guard lock(mu_);
      run.swap(waiting_);
    }
    for (auto& done : run) done();
  }

 private:
  std::unique_ptr<storage::Storage> inner_;
  std::mutex mu_;
  std::vector<std::function<void()>> waiting_;
};

class DurabilityGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = storage::OpenSqliteStorage(path_, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    storage_ = std::make_unique<ManualDurability>(std::move(opened).value());
  }
  void TearDown() override {
    storage_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }
  FakeClock clock_;
  std::string path_ = ::testing::TempDir() + "/gh_gate_" + std::to_string(getpid()) + ".db";
  std::unique_ptr<ManualDurability> storage_;
};

TEST_F(DurabilityGateTest, OpenFollowsTheStorageAndReleasesOnlyAfterTheSync) {
  DurabilityGate gate(*storage_);
  http::ResponseGate g = gate.ForServer();
  EXPECT_FALSE(g.is_open());
  storage_->durable_ = true;
  EXPECT_TRUE(g.is_open());

  bool released = false;
  g.when_open([&] { released = true; });
  EXPECT_FALSE(released);
  storage_->SyncNow();
  EXPECT_TRUE(released);
}

TEST_F(DurabilityGateTest, WaitReleasedBlocksUntilEveryHeldResponseIsReleased) {
  DurabilityGate gate(*storage_);
  http::ResponseGate g = gate.ForServer();
  std::atomic<int> released{0};
  for (int i = 0; i < 3; ++i) g.when_open([&] { ++released; });
  std::atomic<bool> waited{false};
  std::thread waiter([&] {
    gate.WaitReleased();
    waited = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(waited.load());  // three responses are still held
  storage_->SyncNow();
  waiter.join();
  EXPECT_TRUE(waited.load());
  EXPECT_EQ(released.load(), 3);
  gate.WaitReleased();  // nothing held: returns at once
}

}  // namespace
}  // namespace gatehouse::server
