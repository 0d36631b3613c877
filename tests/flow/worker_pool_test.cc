#include "flow/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace gatehouse::flow {
namespace {

TEST(WorkerPoolTest, RunsEveryPostedTaskOffTheCallingThread) {
  auto pool = WorkerPool::Create(2);
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(pool->Post([&] {
      std::lock_guard lock(mu);
      threads.insert(std::this_thread::get_id());
      ++ran;
    }));
  }
  pool->Shutdown();  // runs what was posted, then joins
  EXPECT_EQ(ran.load(), 100);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  EXPECT_LE(threads.size(), 2u);
}

// Two tasks that each wait for the other can only finish on two threads: the
// pool really runs `threads` tasks at once (a blocked hash does not stall the rest).
TEST(WorkerPoolTest, RunsTasksConcurrently) {
  auto pool = WorkerPool::Create(2);
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  std::atomic<int> finished{0};
  for (int i = 0; i < 2; ++i) {
    pool->Post([&] {
      std::unique_lock lock(mu);
      ++arrived;
      cv.notify_all();
      cv.wait(lock, [&] { return arrived == 2; });
      ++finished;
    });
  }
  pool->Shutdown();
  EXPECT_EQ(finished.load(), 2);
}

TEST(WorkerPoolTest, RefusesTasksAfterShutdownAndShutdownIsIdempotent) {
  auto pool = WorkerPool::Create(1);
  pool->Shutdown();
  bool ran = false;
  EXPECT_FALSE(pool->Post([&] { ran = true; }));
  pool->Shutdown();
  EXPECT_FALSE(ran);
}

TEST(WorkerPoolTest, AtLeastOneWorker) {
  auto pool = WorkerPool::Create(0);
  std::atomic<bool> ran{false};
  ASSERT_TRUE(pool->Post([&] { ran = true; }));
  pool->Shutdown();
  EXPECT_TRUE(ran.load());
}

}  // namespace
}  // namespace gatehouse::flow
