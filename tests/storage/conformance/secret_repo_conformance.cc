// SecretRepo: generated once, shared by every racing caller.

#include <atomic>
#include <barrier>
#include <string>
#include <thread>
#include <vector>

#include "storage/conformance/storage_conformance.h"

namespace gatehouse::storage::testing {
namespace {

TEST_P(SecretRepoConformance, GeneratesOnceThenReturnsStoredValue) {
  int calls = 0;
  auto gen = [&] {
    ++calls;
    return std::string("secret-") + std::to_string(calls);
  };
  auto first = secrets().GetOrCreate("cookie_key", gen);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, "secret-1");
  auto second = secrets().GetOrCreate("cookie_key", gen);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, "secret-1");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(*secrets().GetOrCreate("csrf_key", gen), "secret-2");
}

TEST_P(SecretRepoConformance, ValuesAreBinarySafe) {
  std::string bytes;
  for (int b = 0; b <= 0xff; ++b) bytes.push_back(static_cast<char>(b));
  ASSERT_TRUE(secrets().GetOrCreate("raw", [&] { return bytes; }).ok());
  EXPECT_EQ(*secrets().GetOrCreate("raw", [] { return std::string("other"); }), bytes);
  EXPECT_EQ(*secrets().GetOrCreate("empty", [] { return std::string(); }), "");
}

TEST_P(SecretRepoConformance, EmptyNameIsInvalidArgument) {
  bool called = false;
  auto r = secrets().GetOrCreate("", [&] {
    called = true;
    return std::string("x");
  });
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(called);
}

TEST_P(SecretRepoConformance, RacingFirstCallsAllGetTheSameValue) {
  constexpr int kThreads = 16;
  std::vector<std::string> got(kThreads);
  std::atomic<int> failures{0};
  std::barrier sync(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      sync.arrive_and_wait();
      auto r = secrets().GetOrCreate("shared", [t] { return "from-" + std::to_string(t); });
      if (r.ok()) {
        got[t] = *r;
      } else {
        ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(got[t], got[0]);
  EXPECT_EQ(got[0].rfind("from-", 0), 0u);
  EXPECT_EQ(*secrets().GetOrCreate("shared", [] { return std::string("late"); }), got[0]);
}

}  // namespace
}  // namespace gatehouse::storage::testing
