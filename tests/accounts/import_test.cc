// Import of an Auth0 user export (JSON Lines).

#include <gtest/gtest.h>

#include "accounts/accounts_fixture.h"

namespace gatehouse::accounts::testing {
namespace {

// bcrypt of "Secret123!" (`htpasswd -bnBC 4`), as Auth0 exports carry them.
constexpr char kBcrypt[] = "$2y$04$mwU3ZVU8QYXvhyT.ysIrUO0lKBXP3WXz9SxHq9OFV1RLb8mWt65Mi";

TEST_F(AccountsTest, ImportsUsersWithBothHashShapes) {
  std::string jsonl =
      std::string(R"({"user_id":"auth0|5f1a","email":"Ada@Example.com","email_verified":true,)") +
      R"("given_name":"Ada","family_name":"Lovelace","name":"Ada Lovelace","nickname":"ada",)" +
      R"("picture":"https://example.com/a.png","user_metadata":{"lang":"en"},)" +
      R"("app_metadata":{"plan":"pro"},"password_hash":")" + kBcrypt + "\"}\n" +
      "\n" +  // blank lines are ignored
      R"({"email":"grace@example.com","custom_password_hash":{"algorithm":"bcrypt",)" +
      R"("hash":{"value":")" + kBcrypt + "\"}}}\n" + R"({"email":"nopass@example.com"})";
  auto report = service_->Import(jsonl);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->imported, 3);
  EXPECT_EQ(report->skipped, 0);
  EXPECT_TRUE(report->errors.empty()) << report->errors[0];

  auto ada = service_->Get("auth0|5f1a");
  ASSERT_TRUE(ada.ok());
  EXPECT_EQ(ada->record.email, "ada@example.com");
  EXPECT_TRUE(ada->record.email_verified);
  EXPECT_EQ(ada->record.given_name, "Ada");
  EXPECT_EQ(ada->record.family_name, "Lovelace");
  EXPECT_EQ(ada->record.name, "Ada Lovelace");
  EXPECT_EQ(ada->record.nickname, "ada");
  EXPECT_EQ(ada->record.picture, "https://example.com/a.png");
  EXPECT_EQ(ada->ToJson()["user_metadata"], nlohmann::json({{"lang", "en"}}));
  EXPECT_EQ(ada->ToJson()["app_metadata"], nlohmann::json({{"plan", "pro"}}));
  // The imported bcrypt hash logs in (and is upgraded).
  EXPECT_TRUE(service_->Authenticate("ada@example.com", "Secret123!", "1.1.1.1").ok());
  EXPECT_TRUE(service_->Authenticate("grace@example.com", "Secret123!", "1.1.1.1").ok());
  // A user imported without a hash cannot log in until a password is set.
  EXPECT_EQ(service_->Authenticate("nopass@example.com", "", "1.1.1.1").status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, ImportReportsBadLinesAndImportsTheRest) {
  std::string jsonl =
      std::string("not json\n") +                                         // 1
      "[1,2]\n" +                                                         // 2
      R"({"email":"bad email"})" + "\n" +                                 // 3
      R"({"name":"no email"})" + "\n" +                                   // 4
      R"({"email":"md5@example.com","password_hash":"$1$x$y"})" + "\n" +  // 5
      R"({"email":"x@example.com","custom_password_hash":{"algorithm":"md5","hash":{"value":"x"}}})" +
      "\n" +                                                          // 6
      R"({"email":"meta@example.com","user_metadata":[1]})" + "\n" +  // 7
      R"({"email":"good@example.com"})" + "\n";                       // 8
  auto report = service_->Import(jsonl);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->imported, 1);
  ASSERT_EQ(report->errors.size(), 7u);
  EXPECT_EQ(report->errors[0], "line 1: not a JSON object");
  EXPECT_EQ(report->errors[1], "line 2: not a JSON object");
  EXPECT_EQ(report->errors[2], "line 3: Invalid email address.");
  EXPECT_EQ(report->errors[3], "line 4: email is missing");
  EXPECT_EQ(report->errors[4], "line 5: unsupported password hash");
  EXPECT_EQ(report->errors[5], "line 6: unsupported password hash algorithm");
  EXPECT_EQ(report->errors[6], "line 7: user_metadata is not an object");
  EXPECT_TRUE(service_->GetByEmail("good@example.com").ok());
}

TEST_F(AccountsTest, ReImportSkipsExistingEmails) {
  std::string jsonl = R"({"user_id":"auth0|1","email":"a@example.com"})"
                      "\n"
                      R"({"email":"b@example.com"})";
  auto first = service_->Import(jsonl);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->imported, 2);
  auto again = service_->Import(jsonl);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->skipped, 2);
  EXPECT_TRUE(again->errors.empty());
  // The same user_id with another email is an error, not a skip.
  auto clash = service_->Import(R"({"user_id":"auth0|1","email":"c@example.com"})");
  ASSERT_TRUE(clash.ok());
  EXPECT_EQ(clash->skipped, 0);
  ASSERT_EQ(clash->errors.size(), 1u);
  EXPECT_EQ(clash->errors[0], "line 1: user_id or username already exists");
}

}  // namespace
}  // namespace gatehouse::accounts::testing
