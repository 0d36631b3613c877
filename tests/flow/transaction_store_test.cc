#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "crypto/secure_random.h"
#include "flow/transaction.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::flow {
namespace {

class TransactionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage_ = storage::testing::OpenTempSqlite(clock_);
    ASSERT_NE(storage_, nullptr);
    store_ = std::make_unique<TransactionStore>(storage_->records(),
                                                crypto::SecureRandom::Instance(), clock_, 600);
  }

  Transaction Draft() {
    Transaction tx;
    tx.browser_hash = "abc";
    tx.client_id = "client1";
    tx.redirect_uri = "https://app.example.com/cb";
    tx.response_mode = "query";
    tx.scope = "openid profile";
    tx.client_state = "st";
    tx.nonce = "n";
    tx.max_age = 30;
    tx.code_challenge = "x";
    tx.code_challenge_method = "S256";
    tx.issuer = "https://id.example.com/";
    return tx;
  }

  FakeClock clock_;
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<TransactionStore> store_;
};

TEST_F(TransactionStoreTest, CreateAssignsA256BitIdAndRoundTrips) {
  auto created = store_->Create(Draft());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->id.size(), 43u);
  EXPECT_EQ(created->state, LoginState::kCreated);
  EXPECT_EQ(created->expires_at, clock_.NowSeconds() + 600);

  auto read = store_->Get(created->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->version, created->version);
  EXPECT_EQ(read->ToJson(), created->ToJson());
  EXPECT_EQ(read->max_age, std::optional<int64_t>(30));
  EXPECT_EQ(read->client_state, "st");

  auto other = store_->Create(Draft());
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->id, created->id);
}

TEST_F(TransactionStoreTest, TransitionStoresFieldsAndBumpsVersion) {
  auto tx = store_->Create(Draft()).value();
  tx.user_id = "auth0|1";
  tx.auth_time = 123;
  ASSERT_TRUE(store_->Transition(tx, LoginState::kAuthenticated).ok());
  EXPECT_EQ(tx.state, LoginState::kAuthenticated);
  auto read = store_->Get(tx.id).value();
  EXPECT_EQ(read.state, LoginState::kAuthenticated);
  EXPECT_EQ(read.user_id, "auth0|1");
  EXPECT_EQ(read.auth_time, 123);
  EXPECT_EQ(read.version, tx.version);
}

TEST_F(TransactionStoreTest, DisallowedTransitionWritesNothing) {
  auto tx = store_->Create(Draft()).value();
  Transaction copy = tx;
  Status s = store_->Transition(copy, LoginState::kCompleted);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(copy.state, LoginState::kCreated);
  EXPECT_EQ(store_->Get(tx.id)->version, tx.version);
}

TEST_F(TransactionStoreTest, TransitionViaWritesOnceAndChecksBothSteps) {
  auto tx = store_->Create(Draft()).value();
  const int64_t created_version = tx.version;
  tx.user_id = "auth0|1";
  ASSERT_TRUE(store_->TransitionVia(tx, LoginState::kAuthenticated, LoginState::kRulesPass1).ok());
  EXPECT_EQ(tx.state, LoginState::kRulesPass1);
  auto read = store_->Get(tx.id).value();
  EXPECT_EQ(read.state, LoginState::kRulesPass1);
  EXPECT_EQ(read.user_id, "auth0|1");
  EXPECT_EQ(read.version, tx.version);
  EXPECT_EQ(tx.version, created_version + 1) << "one compare-and-set, not two";

  // created -> rules_pass1 -> completed is not a path of the state machine.
  auto other = store_->Create(Draft()).value();
  Transaction copy = other;
  EXPECT_EQ(store_->TransitionVia(copy, LoginState::kRulesPass1, LoginState::kCompleted).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(copy.state, LoginState::kCreated);
  EXPECT_EQ(store_->Get(other.id)->version, other.version);

  // A stale copy loses, as with Transition.
  Transaction stale = other;
  ASSERT_TRUE(store_->Transition(other, LoginState::kFailed).ok());
  EXPECT_EQ(
      store_->TransitionVia(stale, LoginState::kAuthenticated, LoginState::kRulesPass1).code(),
      ErrorCode::kConflict);
}

TEST_F(TransactionStoreTest, StaleCopyLosesTheRace) {
  auto tx = store_->Create(Draft()).value();
  Transaction first = tx, second = tx;
  ASSERT_TRUE(store_->Transition(first, LoginState::kAuthenticated).ok());
  EXPECT_EQ(store_->Transition(second, LoginState::kAuthenticated).code(), ErrorCode::kConflict);
  EXPECT_EQ(second.state, LoginState::kCreated) << "a lost move leaves the copy as it was";
}

TEST_F(TransactionStoreTest, ConcurrentMovesOfOneTransactionHaveExactlyOneWinner) {
  auto tx = store_->Create(Draft()).value();
  std::atomic<int> wins{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, copy = tx]() mutable {
      Status s = store_->Transition(copy, LoginState::kAuthenticated);
      if (s.ok()) ++wins;
      if (s.code() == ErrorCode::kConflict) ++conflicts;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
}

TEST_F(TransactionStoreTest, ExpiredTransactionIsGoneAndCannotMove) {
  auto tx = store_->Create(Draft()).value();
  clock_.Advance(std::chrono::seconds(600));
  EXPECT_EQ(store_->Get(tx.id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->Transition(tx, LoginState::kAuthenticated).code(), ErrorCode::kNotFound);
}

TEST_F(TransactionStoreTest, ExpiryDoesNotMoveWithTransitions) {
  auto tx = store_->Create(Draft()).value();
  clock_.Advance(std::chrono::seconds(500));
  ASSERT_TRUE(store_->Transition(tx, LoginState::kAuthenticated).ok());
  clock_.Advance(std::chrono::seconds(100));
  EXPECT_EQ(store_->Get(tx.id).status().code(), ErrorCode::kNotFound);
}

TEST_F(TransactionStoreTest, UnknownIdAndCorruptRecord) {
  EXPECT_EQ(store_->Get("nope").status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(
      storage_->records().Create(kTransactionKind, "bad", "{\"state\":\"x\"}", std::nullopt).ok());
  EXPECT_EQ(store_->Get("bad").status().code(), ErrorCode::kInternal);
  ASSERT_TRUE(storage_->records().Create(kTransactionKind, "bad2", "not json", std::nullopt).ok());
  EXPECT_EQ(store_->Get("bad2").status().code(), ErrorCode::kInternal);
}

}  // namespace
}  // namespace gatehouse::flow
