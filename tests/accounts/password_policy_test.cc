#include "accounts/password_policy.h"

#include <gtest/gtest.h>

namespace gatehouse::accounts {
namespace {

TEST(PasswordPolicyTest, LengthBounds) {
  PasswordPolicy p;
  EXPECT_EQ(CheckPassword(p, "1234567", "").code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(CheckPassword(p, "12345678", "").ok());
  EXPECT_TRUE(CheckPassword(p, std::string(256, 'x'), "").ok());
  Status long_pw = CheckPassword(p, std::string(257, 'x'), "");
  EXPECT_EQ(long_pw.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(long_pw.message(), "Password is too long (at most 256 characters).");
}

TEST(PasswordPolicyTest, MinimumCountsCharactersNotBytes) {
  PasswordPolicy p;
  // Seven two-byte characters: 14 bytes but too short.
  EXPECT_FALSE(CheckPassword(p, "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "").ok());
  EXPECT_TRUE(CheckPassword(p, "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "").ok());
}

TEST(PasswordPolicyTest, NotTheEmail) {
  PasswordPolicy p;
  EXPECT_EQ(CheckPassword(p, "Ada@Example.com", "ada@example.com").code(),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(CheckPassword(p, "ada@example.co", "ada@example.com").ok());
}

TEST(PasswordPolicyTest, ConfiguredBounds) {
  PasswordPolicy p{.min_length = 12, .max_length = 20};
  EXPECT_FALSE(CheckPassword(p, "12345678901", "").ok());
  EXPECT_TRUE(CheckPassword(p, "123456789012", "").ok());
  EXPECT_FALSE(CheckPassword(p, std::string(21, 'x'), "").ok());
}

}  // namespace
}  // namespace gatehouse::accounts
