#pragma once
// A UserService on a real SQLite file, a FakeClock and a cheap argon2 cost.

#include <gtest/gtest.h>

#include <memory>

#include "accounts/user_service.h"
#include "core/clock.h"
#include "crypto/secure_random.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::accounts::testing {

inline UserServiceOptions CheapOptions() {
  UserServiceOptions o;
  o.argon2_memory_kib = 1024;
  o.argon2_iterations = 1;
  return o;
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage_ = storage::testing::OpenTempSqlite(clock_);
    ASSERT_NE(storage_, nullptr);
    service_ = UserService::Create(*storage_, clock_, crypto::SecureRandom::Instance(), options_);
  }

  User MustSignUp(const std::string& email, const std::string& password,
                  const std::string& username = "") {
    SignUpInput in;
    in.email = email;
    in.password = password;
    in.username = username;
    auto r = service_->SignUp(in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : User{};
  }

  FakeClock clock_{1'764'301'060};  // 2025-11-28T03:37:40Z
  UserServiceOptions options_ = CheapOptions();
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<UserService> service_;
};

}  // namespace gatehouse::accounts::testing
