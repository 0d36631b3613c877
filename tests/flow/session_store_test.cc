#include "flow/session_store.h"

#include <gtest/gtest.h>

#include <chrono>

#include "crypto/secure_random.h"
#include "flow/hex.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::flow {
namespace {

class SessionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage_ = storage::testing::OpenTempSqlite(clock_);
    ASSERT_NE(storage_, nullptr);
    store_ = std::make_unique<SessionStore>(storage_->records(), crypto::SecureRandom::Instance(),
                                            clock_, 3600);
  }
  FakeClock clock_;
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<SessionStore> store_;
};

TEST_F(SessionStoreTest, CreateAndFindByCookie) {
  int64_t now = clock_.NowSeconds();
  auto created = store_->Create("auth0|u1", now, nlohmann::json::array({"pwd"}), "c1");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->cookie_value.size(), 43u);
  EXPECT_EQ(created->session.id, Sha256Hex(created->cookie_value));

  auto found = store_->Find(created->cookie_value);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user_id, "auth0|u1");
  EXPECT_EQ(found->auth_time, now);
  EXPECT_EQ(found->amr, nlohmann::json::array({"pwd"}));
  EXPECT_EQ(found->clients, std::vector<std::string>{"c1"});
}

TEST_F(SessionStoreTest, TheDatabaseNeverHoldsTheCookie) {
  auto created = store_->Create("auth0|u1", clock_.NowSeconds(), {}, "c1").value();
  EXPECT_EQ(storage_->records().Get(kSessionKind, created.cookie_value).status().code(),
            ErrorCode::kNotFound);
  auto record = storage_->records().Get(kSessionKind, created.session.id);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->data.find(created.cookie_value), std::string::npos);
}

TEST_F(SessionStoreTest, UnknownEmptyAndExpiredCookiesFindNothing) {
  EXPECT_EQ(store_->Find("").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->Find("nope").status().code(), ErrorCode::kNotFound);
  auto created = store_->Create("auth0|u1", clock_.NowSeconds(), {}, "c1").value();
  clock_.Advance(std::chrono::seconds(3599));
  EXPECT_TRUE(store_->Find(created.cookie_value).ok());
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(store_->Find(created.cookie_value).status().code(), ErrorCode::kNotFound)
      << "absolute lifetime from the authentication";
}

TEST_F(SessionStoreTest, AddClientOnceAndKeepsTheLifetime) {
  auto created = store_->Create("auth0|u1", clock_.NowSeconds(), {}, "c1").value();
  SsoSession s = store_->Find(created.cookie_value).value();
  ASSERT_TRUE(store_->AddClient(s, "c2").ok());
  ASSERT_TRUE(store_->AddClient(s, "c2").ok());
  auto found = store_->Find(created.cookie_value).value();
  EXPECT_EQ(found.clients, (std::vector<std::string>{"c1", "c2"}));
  auto record = storage_->records().Get(kSessionKind, s.id).value();
  EXPECT_EQ(record.expires_at, std::optional<int64_t>(created.session.auth_time + 3600));
}

TEST_F(SessionStoreTest, AddClientOnAStaleCopyConflicts) {
  auto created = store_->Create("auth0|u1", clock_.NowSeconds(), {}, "c1").value();
  SsoSession a = store_->Find(created.cookie_value).value();
  SsoSession b = a;
  ASSERT_TRUE(store_->AddClient(a, "c2").ok());
  EXPECT_EQ(store_->AddClient(b, "c3").code(), ErrorCode::kConflict);
}

TEST_F(SessionStoreTest, DeleteEndsTheSession) {
  auto created = store_->Create("auth0|u1", clock_.NowSeconds(), {}, "c1").value();
  ASSERT_TRUE(store_->Delete(created.cookie_value).ok());
  EXPECT_EQ(store_->Find(created.cookie_value).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->Delete(created.cookie_value).ok()) << "absent is not an error";
  EXPECT_TRUE(store_->Delete("").ok());
}

}  // namespace
}  // namespace gatehouse::flow
