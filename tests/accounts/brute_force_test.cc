// Brute-force protection: per (user, ip) failure counters.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "accounts/accounts_fixture.h"

namespace gatehouse::accounts::testing {
namespace {

class BruteForceTest : public AccountsTest {
 protected:
  ErrorCode Try(const std::string& id, const std::string& pw, const std::string& ip) {
    return service_->Authenticate(id, pw, ip).status().code();
  }
  void FailTimes(int n, const std::string& id, const std::string& ip) {
    for (int i = 0; i < n; ++i) ASSERT_EQ(Try(id, "wrong horse", ip), ErrorCode::kUnauthenticated);
  }
};

TEST_F(BruteForceTest, EleventhAttemptIsRefusedEvenWithTheRightPassword) {
  MustSignUp("ada@example.com", "correct horse");
  FailTimes(10, "ada@example.com", "10.0.0.1");
  auto r = service_->Authenticate("ada@example.com", "correct horse", "10.0.0.1");
  EXPECT_EQ(r.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(Try("ada@example.com", "wrong horse", "10.0.0.1"), ErrorCode::kResourceExhausted);
  // The block is per ip; and it is per user, whatever identifier names them.
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.2"), ErrorCode::kOk);
  // Time alone does not lift it (well within the counter's lifetime).
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.1"), ErrorCode::kResourceExhausted);
}

TEST_F(BruteForceTest, TenthAttemptWithTheRightPasswordStillWorksAndResets) {
  MustSignUp("ada@example.com", "correct horse");
  FailTimes(9, "ada@example.com", "10.0.0.1");
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.1"), ErrorCode::kOk);
  // A success resets the counter: nine more failures do not block.
  FailTimes(9, "ada@example.com", "10.0.0.1");
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.1"), ErrorCode::kOk);
}

TEST_F(BruteForceTest, UnblockAttemptsLiftsTheBlock) {
  User u = MustSignUp("ada@example.com", "correct horse");
  FailTimes(10, "ada@example.com", "10.0.0.1");
  FailTimes(10, "ada@example.com", "10.0.0.2");
  ASSERT_TRUE(service_->UnblockAttempts(u.user_id()).ok());
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.1"), ErrorCode::kOk);
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.2"), ErrorCode::kOk);
  EXPECT_TRUE(service_->UnblockAttempts("auth0|nobody").ok());
}

TEST_F(BruteForceTest, UnblockingOneUserLeavesOthersBlocked) {
  User a = MustSignUp("a@example.com", "correct horse");
  MustSignUp("b@example.com", "correct horse");
  FailTimes(10, "a@example.com", "10.0.0.1");
  FailTimes(10, "b@example.com", "10.0.0.1");
  ASSERT_TRUE(service_->UnblockAttempts(a.user_id()).ok());
  EXPECT_EQ(Try("a@example.com", "correct horse", "10.0.0.1"), ErrorCode::kOk);
  EXPECT_EQ(Try("b@example.com", "correct horse", "10.0.0.1"), ErrorCode::kResourceExhausted);
}

TEST_F(BruteForceTest, PasswordChangeLiftsTheBlock) {
  User u = MustSignUp("ada@example.com", "correct horse");
  FailTimes(10, "ada@example.com", "10.0.0.1");
  ASSERT_TRUE(service_->SetPassword(u.user_id(), "battery staple").ok());
  EXPECT_EQ(Try("ada@example.com", "battery staple", "10.0.0.1"), ErrorCode::kOk);
}

TEST_F(BruteForceTest, UnknownUsersAreBlockedAlike) {
  FailTimes(10, "ghost@example.com", "10.0.0.1");
  EXPECT_EQ(Try("GHOST@example.com", "anything", "10.0.0.1"), ErrorCode::kResourceExhausted);
  EXPECT_EQ(Try("ghost@example.com", "anything", "10.0.0.2"), ErrorCode::kUnauthenticated);
}

TEST_F(BruteForceTest, CountersAreForgottenAfterTheirLifetime) {
  MustSignUp("ada@example.com", "correct horse");
  FailTimes(10, "ada@example.com", "10.0.0.1");
  clock_.Advance(std::chrono::seconds(options_.failed_attempts_ttl_seconds + 1));
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.1"), ErrorCode::kOk);
}

TEST_F(BruteForceTest, ConcurrentFailuresAreAllCounted) {
  MustSignUp("ada@example.com", "correct horse");
  constexpr int kThreads = 8;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      if (Try("ada@example.com", "wrong horse", "10.0.0.1") != ErrorCode::kUnauthenticated) {
        ++unexpected;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(unexpected.load(), 0);
  // 8 counted: two more failures block.
  FailTimes(2, "ada@example.com", "10.0.0.1");
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.1"), ErrorCode::kResourceExhausted);
}

TEST_F(BruteForceTest, ConfiguredLimitApplies) {
  options_.max_failed_attempts = 3;
  service_ = UserService::Create(*storage_, clock_, crypto::SecureRandom::Instance(), options_);
  MustSignUp("ada@example.com", "correct horse");
  FailTimes(3, "ada@example.com", "10.0.0.1");
  EXPECT_EQ(Try("ada@example.com", "correct horse", "10.0.0.1"), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace gatehouse::accounts::testing
