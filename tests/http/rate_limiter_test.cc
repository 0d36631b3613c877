#include "http/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace gatehouse::http {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, BurstThenRefusedWithRetryAfterThenRefills) {
  FakeClock clock;
  auto limiter = RateLimiter::Create({.per_minute = 6, .burst = 3}, clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter->Take("ip:a").allowed) << i;
  auto refused = limiter->Take("ip:a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 10);  // one token per 10 s
  clock.Advance(milliseconds(9000));
  EXPECT_FALSE(limiter->Take("ip:a").allowed);
  clock.Advance(milliseconds(1000));
  EXPECT_TRUE(limiter->Take("ip:a").allowed);
  EXPECT_FALSE(limiter->Take("ip:a").allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  FakeClock clock;
  auto limiter = RateLimiter::Create({.per_minute = 1, .burst = 1}, clock);
  EXPECT_TRUE(limiter->Take("a").allowed);
  EXPECT_FALSE(limiter->Take("a").allowed);
  EXPECT_TRUE(limiter->Take("b").allowed);
}

TEST(RateLimiter, ZeroRateDisables) {
  FakeClock clock;
  auto limiter = RateLimiter::Create({.per_minute = 0, .burst = 1}, clock);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter->Take("a").allowed);
  EXPECT_EQ(limiter->size(), 0u);
}

TEST(RateLimiter, TableStaysBoundedUnderAKeySpray) {
  FakeClock clock;
  auto limiter = RateLimiter::Create({.per_minute = 60, .burst = 1, .max_keys = 100}, clock);
  for (int i = 0; i < 1000; ++i) limiter->Take("k" + std::to_string(i));
  EXPECT_LE(limiter->size(), 100u);
  // Full buckets are dropped first: a refilled key is forgotten, a drained one kept.
  auto small = RateLimiter::Create({.per_minute = 60, .burst = 1, .max_keys = 2}, clock);
  small->Take("old");
  clock.Advance(milliseconds(5000));
  small->Take("drained");
  small->Take("new");  // evicts "old" (full again), keeps "drained"
  EXPECT_FALSE(small->Take("drained").allowed);
}

TEST(RateLimiter, ConcurrentTakesNeverExceedTheBurst) {
  FakeClock clock;
  auto limiter = RateLimiter::Create({.per_minute = 1, .burst = 50}, clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) allowed += limiter->Take("shared").allowed ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 50);
}

}  // namespace
}  // namespace gatehouse::http
