#include "accounts/login_attempts.h"

#include <gtest/gtest.h>

#include <memory>

#include "storage/sqlite_temp.h"

namespace gatehouse::accounts {
namespace {

class LoginAttemptsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage_ = storage::testing::OpenTempSqlite(clock_);
    ASSERT_NE(storage_, nullptr);
    attempts_ = std::make_unique<LoginAttempts>(storage_->records(), clock_, 3600);
  }
  FakeClock clock_;
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<LoginAttempts> attempts_;
};

TEST_F(LoginAttemptsTest, CountsIncrementsAndClears) {
  const std::string k = LoginAttempts::UserKey("auth0|1", 0, "10.0.0.1");
  EXPECT_EQ(*attempts_->Count(k), 0);
  EXPECT_EQ(*attempts_->Increment(k), 1);
  EXPECT_EQ(*attempts_->Increment(k), 2);
  EXPECT_EQ(*attempts_->Count(k), 2);
  EXPECT_TRUE(attempts_->Clear(k).ok());
  EXPECT_EQ(*attempts_->Count(k), 0);
  EXPECT_TRUE(attempts_->Clear(k).ok());
}

TEST_F(LoginAttemptsTest, KeysSeparateUsersEpochsAndIps) {
  EXPECT_NE(LoginAttempts::UserKey("auth0|1", 0, "ip"), LoginAttempts::UserKey("auth0|1", 1, "ip"));
  EXPECT_NE(LoginAttempts::UserKey("auth0|1", 0, "ip"),
            LoginAttempts::UserKey("auth0|1", 0, "ip2"));
  EXPECT_EQ(LoginAttempts::IdentifierKey("Ada@X.com", "ip"),
            LoginAttempts::IdentifierKey("ada@x.com", "ip"));
  // A long ip still gives a valid record id.
  std::string key = LoginAttempts::UserKey("auth0|1", 0, std::string(1000, 'x'));
  EXPECT_LE(key.size(), 256u);
  EXPECT_EQ(*attempts_->Increment(key), 1);
}

TEST_F(LoginAttemptsTest, ClearUserLeavesUsersWithALongerIdAlone) {
  const std::string a = LoginAttempts::UserKey("auth0|1", 0, "ip");
  const std::string a2 = LoginAttempts::UserKey("auth0|1", 3, "ip2");
  const std::string b = LoginAttempts::UserKey("auth0|1:0", 0, "ip");  // shares a raw prefix
  const std::string c = LoginAttempts::UserKey("auth0|10", 0, "ip");
  for (const auto& k : {a, a2, b, c}) ASSERT_TRUE(attempts_->Increment(k).ok());
  ASSERT_TRUE(attempts_->ClearUser("auth0|1").ok());
  EXPECT_EQ(*attempts_->Count(a), 0);
  EXPECT_EQ(*attempts_->Count(a2), 0);
  EXPECT_EQ(*attempts_->Count(b), 1);
  EXPECT_EQ(*attempts_->Count(c), 1);
}

TEST_F(LoginAttemptsTest, CountersExpireAfterTheirLifetime) {
  const std::string k = LoginAttempts::IdentifierKey("x", "ip");
  ASSERT_TRUE(attempts_->Increment(k).ok());
  clock_.Advance(std::chrono::seconds(1800));
  ASSERT_EQ(*attempts_->Increment(k), 2);  // refreshes the lifetime
  clock_.Advance(std::chrono::seconds(1800));
  EXPECT_EQ(*attempts_->Count(k), 2);
  clock_.Advance(std::chrono::seconds(1801));
  EXPECT_EQ(*attempts_->Count(k), 0);
}

}  // namespace
}  // namespace gatehouse::accounts
