// UserRepo under many threads: one winner per compare-and-set, every
// concurrent login counted, one creator per email.

#include <atomic>
#include <barrier>
#include <string>
#include <thread>
#include <vector>

#include "storage/conformance/storage_conformance.h"

namespace gatehouse::storage::testing {
namespace {

constexpr int kThreads = 8;

template <typename Body>
void RunThreads(int n, Body body) {
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (int t = 0; t < n; ++t) threads.emplace_back(body, t);
  for (auto& th : threads) th.join();
}

UserRecord NewUser(const std::string& id, const std::string& email) {
  UserRecord u;
  u.user_id = id;
  u.connection = "Username-Password-Authentication";
  u.email = email;
  return u;
}

TEST_P(UserRaceConformance, UpdateHasExactlyOneWinnerPerRound) {
  constexpr int kRounds = 30;
  auto created = users().Create(NewUser("auth0|hot", "hot@example.com"));
  ASSERT_TRUE(created.ok());
  std::vector<std::atomic<int>> winners(kRounds);
  std::atomic<int> unexpected{0};
  std::barrier sync(kThreads);
  RunThreads(kThreads, [&](int t) {
    for (int round = 0; round < kRounds; ++round) {
      UserRecord u = *created;
      u.nickname = "r" + std::to_string(round) + "t" + std::to_string(t);
      sync.arrive_and_wait();
      auto r = users().Update(u, round + 1);
      if (r.ok()) {
        ++winners[round];
      } else if (r.status().code() != ErrorCode::kConflict) {
        ++unexpected;
        ADD_FAILURE() << r.status().ToString();
      }
      sync.arrive_and_wait();
    }
  });
  EXPECT_EQ(unexpected.load(), 0);
  for (int round = 0; round < kRounds; ++round) {
    EXPECT_EQ(winners[round].load(), 1) << "round " << round;
  }
  auto got = users().Get("auth0|hot");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->version, kRounds + 1);
}

TEST_P(UserRaceConformance, ConcurrentLoginsAreAllCounted) {
  constexpr int kPerThread = 25;
  ASSERT_TRUE(users().Create(NewUser("auth0|busy", "busy@example.com")).ok());
  std::atomic<int> failures{0};
  std::barrier sync(kThreads);
  RunThreads(kThreads, [&](int t) {
    sync.arrive_and_wait();
    for (int i = 0; i < kPerThread; ++i) {
      if (!users().RecordLogin("auth0|busy", "10.0.0." + std::to_string(t)).ok()) ++failures;
    }
  });
  EXPECT_EQ(failures.load(), 0);
  auto got = users().Get("auth0|busy");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->logins_count, kThreads * kPerThread);
  EXPECT_EQ(got->version, 1);
}

TEST_P(UserRaceConformance, OneCreatorPerEmail) {
  constexpr int kRounds = 10;
  std::vector<std::atomic<int>> winners(kRounds);
  std::atomic<int> unexpected{0};
  std::barrier sync(kThreads);
  RunThreads(kThreads, [&](int t) {
    for (int round = 0; round < kRounds; ++round) {
      sync.arrive_and_wait();
      // Different ids, the same email in different case.
      std::string email = (t % 2 ? "Same" : "same") + std::to_string(round) + "@example.com";
      auto r = users().Create(
          NewUser("auth0|r" + std::to_string(round) + "t" + std::to_string(t), email));
      if (r.ok()) {
        ++winners[round];
      } else if (r.status().code() != ErrorCode::kAlreadyExists) {
        ++unexpected;
        ADD_FAILURE() << r.status().ToString();
      }
    }
  });
  EXPECT_EQ(unexpected.load(), 0);
  for (int round = 0; round < kRounds; ++round) {
    EXPECT_EQ(winners[round].load(), 1) << "round " << round;
  }
  auto all = users().List({.per_page = 100});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, kRounds);
}

}  // namespace
}  // namespace gatehouse::storage::testing
