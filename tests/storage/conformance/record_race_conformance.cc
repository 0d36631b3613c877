// RecordRepo under many threads: the atomicity the login state machine relies
// on (one winner per compare-and-set, consume-once, one creator).

#include <atomic>
#include <barrier>
#include <string>
#include <thread>
#include <vector>

#include "storage/conformance/storage_conformance.h"

namespace gatehouse::storage::testing {
namespace {

constexpr int kThreads = 8;

// Runs `body(thread_index)` on kThreads threads and joins them.
template <typename Body>
void RunThreads(int n, Body body) {
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (int t = 0; t < n; ++t) threads.emplace_back(body, t);
  for (auto& th : threads) th.join();
}

TEST_P(RecordRaceConformance, CompareAndSetHasExactlyOneWinnerPerRound) {
  constexpr int kRounds = 60;
  ASSERT_TRUE(records().Create("transaction", "hot", "start", std::nullopt).ok());
  std::vector<std::atomic<int>> winners(kRounds);
  std::atomic<int> unexpected{0};
  std::barrier sync(kThreads);
  RunThreads(kThreads, [&](int t) {
    for (int round = 0; round < kRounds; ++round) {
      sync.arrive_and_wait();  // everyone read version round + 1
      auto r = records().CompareAndSet("transaction", "hot", round + 1,
                                       "r" + std::to_string(round) + "t" + std::to_string(t),
                                       std::nullopt);
      if (r.ok()) {
        ++winners[round];
      } else if (r.status().code() != ErrorCode::kConflict) {
        ++unexpected;
        ADD_FAILURE() << r.status().ToString();
      }
      sync.arrive_and_wait();  // the round is over before the next read
    }
  });
  EXPECT_EQ(unexpected.load(), 0);
  for (int round = 0; round < kRounds; ++round) {
    EXPECT_EQ(winners[round].load(), 1) << "round " << round;
  }
  auto final_record = records().Get("transaction", "hot");
  ASSERT_TRUE(final_record.ok());
  EXPECT_EQ(final_record->version, kRounds + 1);
  EXPECT_EQ(final_record->data.rfind("r" + std::to_string(kRounds - 1) + "t", 0), 0u);
}

TEST_P(RecordRaceConformance, DeleteIfVersionConsumesExactlyOnce) {
  constexpr int kRounds = 20;
  std::vector<std::atomic<int>> winners(kRounds);
  std::atomic<int> unexpected{0};
  std::barrier sync(kThreads);
  RunThreads(kThreads, [&](int t) {
    for (int round = 0; round < kRounds; ++round) {
      const std::string id = "code" + std::to_string(round);
      if (t == 0) {
        if (!records().Create("code", id, "grant", std::nullopt).ok()) ++unexpected;
      }
      sync.arrive_and_wait();
      Status s = records().DeleteIfVersion("code", id, 1);
      if (s.ok()) {
        ++winners[round];
      } else if (s.code() != ErrorCode::kNotFound) {
        ++unexpected;
        ADD_FAILURE() << s.ToString();
      }
    }
  });
  EXPECT_EQ(unexpected.load(), 0);
  for (int round = 0; round < kRounds; ++round) {
    EXPECT_EQ(winners[round].load(), 1) << "round " << round;
  }
  EXPECT_TRUE(records().List("code", "", 100)->empty());
}

TEST_P(RecordRaceConformance, ConcurrentCreatesOfOneIdHaveOneWinner) {
  constexpr int kRounds = 20;
  std::vector<std::atomic<int>> winners(kRounds);
  std::vector<std::atomic<int>> winner_thread(kRounds);
  std::atomic<int> unexpected{0};
  std::barrier sync(kThreads);
  RunThreads(kThreads, [&](int t) {
    for (int round = 0; round < kRounds; ++round) {
      sync.arrive_and_wait();
      auto r = records().Create("session", "s" + std::to_string(round), "t" + std::to_string(t),
                                std::nullopt);
      if (r.ok()) {
        ++winners[round];
        winner_thread[round] = t;
      } else if (r.status().code() != ErrorCode::kAlreadyExists) {
        ++unexpected;
        ADD_FAILURE() << r.status().ToString();
      }
    }
  });
  EXPECT_EQ(unexpected.load(), 0);
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_EQ(winners[round].load(), 1) << "round " << round;
    auto got = records().Get("session", "s" + std::to_string(round));
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->data, "t" + std::to_string(winner_thread[round].load()));
  }
}

TEST_P(RecordRaceConformance, ReadersSeeWholeWritesWhileWritersRun) {
  ASSERT_TRUE(records().Create("k", "r", "0:0", std::nullopt).ok());
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::thread writer([&] {
    for (int v = 1; v < 100; ++v) {
      std::string payload = std::to_string(v) + ":" + std::to_string(v);
      if (!records().CompareAndSet("k", "r", v, payload, std::nullopt).ok()) ++torn;
    }
    done = true;
  });
  RunThreads(3, [&](int) {
    while (!done) {
      auto got = records().Get("k", "r");
      if (!got.ok()) {
        ++torn;
        continue;
      }
      // data and version always come from the same write
      std::string expect =
          std::to_string(got->version - 1) + ":" + std::to_string(got->version - 1);
      if (got->data != expect) ++torn;
    }
  });
  writer.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(records().Get("k", "r")->version, 100);
}

}  // namespace
}  // namespace gatehouse::storage::testing
