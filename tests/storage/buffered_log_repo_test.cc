// The tenant log written behind the request (storage/buffered_log_repo.h), on
// the real SQLite backend: the whole conformance suite through the decorator,
// then what buffering itself promises.

#include "storage/buffered_log_repo.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "storage/buffered_storage.h"
#include "storage/conformance/storage_conformance.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::storage::testing {

std::unique_ptr<Storage> OpenTempSqliteBufferedLogs(Clock& clock) {
  return WithBufferedLogs(OpenTempSqlite(clock), clock);
}

}  // namespace gatehouse::storage::testing

GATEHOUSE_STORAGE_CONFORMANCE(SqliteBufferedLogs,
                              ::gatehouse::storage::testing::OpenTempSqliteBufferedLogs);

namespace gatehouse::storage {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

LogEvent Ev(const std::string& type) {
  LogEvent e;
  e.type = type;
  e.description = "d";
  return e;
}

// Events in the backend itself, bypassing the buffer.
int64_t Stored(Storage& storage) {
  auto page = storage.logs().Query(LogQuery{});
  EXPECT_TRUE(page.ok());
  return page.ok() ? page->total : -1;
}

class BufferedLogRepoTest : public ::testing::Test {
 protected:
  FakeClock clock_{1'700'000'000};
  std::unique_ptr<Storage> sqlite_ = testing::OpenTempSqlite(clock_);
};

TEST_F(BufferedLogRepoTest, AppendQueuesAndReadsStoreTheQueueFirst) {
  BufferedLogRepo logs(sqlite_->logs(), clock_, {.interval = hours(1)});
  auto a = logs.Append(Ev("s"));
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->log_id.empty());
  EXPECT_EQ(a->date_ms, 1'700'000'000'000);
  ASSERT_TRUE(logs.Append(Ev("seacft")).ok());
  EXPECT_EQ(Stored(*sqlite_), 0);  // not yet written
  auto page = logs.Query(LogQuery{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  // The id Append returned is the stored one.
  auto got = sqlite_->logs().Get(a->log_id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->type, "s");
}

TEST_F(BufferedLogRepoTest, InvalidEventsAreRefusedAtAppend) {
  BufferedLogRepo logs(sqlite_->logs(), clock_, {.interval = hours(1)});
  EXPECT_EQ(logs.Append(Ev("")).status().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(logs.Flush().ok());
  EXPECT_EQ(Stored(*sqlite_), 0);
}

TEST_F(BufferedLogRepoTest, TheWriterStoresABatchWithoutAnyRead) {
  BufferedLogRepo logs(sqlite_->logs(), clock_, {.interval = hours(1), .batch = 3});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(logs.Append(Ev("s")).ok());
  // The third event wakes the writer; wait for it (bounded), never for the interval.
  for (int i = 0; i < 500 && Stored(*sqlite_) < 3; ++i)
    std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(Stored(*sqlite_), 3);
}

TEST_F(BufferedLogRepoTest, DestructionStoresWhatIsQueued) {
  {
    BufferedLogRepo logs(sqlite_->logs(), clock_, {.interval = hours(1)});
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(logs.Append(Ev("s")).ok());
  }
  EXPECT_EQ(Stored(*sqlite_), 5);
}

TEST_F(BufferedLogRepoTest, AFullQueueMakesAppendStoreSynchronously) {
  BufferedLogRepo logs(sqlite_->logs(), clock_, {.interval = hours(1), .max_queued = 2});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(logs.Append(Ev("s")).ok());
  EXPECT_EQ(Stored(*sqlite_), 1);  // the third went straight to the backend
  ASSERT_TRUE(logs.Flush().ok());
  EXPECT_EQ(Stored(*sqlite_), 3);
}

// A backend that refuses every batch: the events are dropped (and logged),
// Append never fails because of it, and later events still go through.
class RefusingLogRepo final : public LogRepo {
 public:
  explicit RefusingLogRepo(LogRepo& inner) : inner_(inner) {}
  Result<LogEvent> Append(LogEvent e) override { return inner_.Append(std::move(e)); }
  Status AppendBatch(std::vector<LogEvent> events) override {
    if (refuse) return Unavailable("database is down");
    return inner_.AppendBatch(std::move(events));
  }
  Result<LogEvent> Get(const std::string& id) override { return inner_.Get(id); }
  Result<LogPage> Query(const LogQuery& q) override { return inner_.Query(q); }
  Result<int64_t> PurgeOlderThan(int64_t b, int64_t m) override {
    return inner_.PurgeOlderThan(b, m);
  }
  std::atomic<bool> refuse{true};

 private:
  LogRepo& inner_;
};

TEST_F(BufferedLogRepoTest, ABackendErrorDropsThatBatchOnly) {
  RefusingLogRepo backend(sqlite_->logs());
  BufferedLogRepo logs(backend, clock_, {.interval = hours(1)});
  ASSERT_TRUE(logs.Append(Ev("s")).ok());
  EXPECT_EQ(logs.Flush().code(), ErrorCode::kUnavailable);
  backend.refuse = false;
  ASSERT_TRUE(logs.Append(Ev("f")).ok());
  auto page = logs.Query(LogQuery{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->events[0].type, "f");
}

TEST_F(BufferedLogRepoTest, ConcurrentAppendsAreAllStoredOnceWithUniqueIds) {
  BufferedLogRepo logs(sqlite_->logs(), clock_, {.interval = milliseconds(2), .batch = 64});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) EXPECT_TRUE(logs.Append(Ev("s")).ok());
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(logs.Flush().ok());
  EXPECT_EQ(Stored(*sqlite_), 1000);
  std::set<std::string> ids;
  LogQuery q;
  q.per_page = 100;
  for (q.page = 0; q.page < 10; ++q.page) {
    auto page = sqlite_->logs().Query(q);
    ASSERT_TRUE(page.ok());
    for (const auto& e : page->events) ids.insert(e.log_id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace gatehouse::storage
