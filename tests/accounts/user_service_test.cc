#include <gtest/gtest.h>

#include <regex>

#include "accounts/accounts_fixture.h"
#include "crypto/password_hash.h"

namespace gatehouse::accounts::testing {
namespace {

TEST_F(AccountsTest, SignUpCreatesAnAuth0StyleUser) {
  User u = MustSignUp("  Ada@Example.COM ", "correct horse", "ada");
  EXPECT_TRUE(std::regex_match(u.user_id(), std::regex("auth0\\|[0-9a-f]{24}"))) << u.user_id();
  EXPECT_EQ(u.record.email, "ada@example.com");  // trimmed, lowercased as Auth0 stores it
  EXPECT_EQ(u.record.connection, kDatabaseConnection);
  EXPECT_EQ(u.record.username, "ada");
  EXPECT_EQ(u.record.name, "ada@example.com");
  EXPECT_EQ(u.record.nickname, "ada");
  EXPECT_FALSE(u.record.email_verified);
  EXPECT_EQ(u.record.password_hash.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u);
  auto got = service_->GetByEmail("ADA@example.com");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->user_id(), u.user_id());
  EXPECT_EQ(service_->Get("auth0|nobody").status().code(), ErrorCode::kNotFound);
}

TEST_F(AccountsTest, SignUpRefusesBadInputWithPublicMessages) {
  auto attempt = [&](const std::string& email, const std::string& pw,
                     const std::string& username = "") {
    SignUpInput in;
    in.email = email;
    in.password = pw;
    in.username = username;
    return service_->SignUp(in).status();
  };
  EXPECT_EQ(attempt("not-an-email", "correct horse").message(), "Invalid email address.");
  EXPECT_EQ(attempt("a@b@c", "correct horse").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(attempt("a b@example.com", "correct horse").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(attempt(std::string(250, 'a') + "@example.com", "correct horse").code(),
            ErrorCode::kInvalidArgument);
  Status short_pw = attempt("a@example.com", "1234567");
  EXPECT_EQ(short_pw.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_pw.message(), "Password is too short (at least 8 characters).");
  EXPECT_EQ(attempt("a@example.com", std::string(257, 'x')).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(attempt("long@example.com", "").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(attempt("same@example.com", "SAME@example.com").message(),
            "Password must not be the same as the email address.");
  EXPECT_EQ(attempt("u@example.com", "correct horse", "has@at").code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(attempt("u@example.com", "correct horse", "has space").code(),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(attempt("ok@example.com", std::string(256, 'x')).ok());
}

TEST_F(AccountsTest, SignUpRefusesTakenEmailOrUsername) {
  MustSignUp("ada@example.com", "correct horse", "ada");
  SignUpInput dup;
  dup.email = "ADA@example.com";
  dup.password = "another password";
  auto r = service_->SignUp(dup);
  EXPECT_EQ(r.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(r.status().message(), "The user already exists.");
  dup.email = "other@example.com";
  dup.username = "ADA";
  EXPECT_EQ(service_->SignUp(dup).status().code(), ErrorCode::kAlreadyExists);
}

TEST_F(AccountsTest, AuthenticateByEmailOrUsernameRecordsTheLogin) {
  User u = MustSignUp("ada@example.com", "correct horse", "ada");
  clock_.Advance(std::chrono::seconds(60));
  auto by_email = service_->Authenticate(" ADA@example.com", "correct horse", "10.0.0.1");
  ASSERT_TRUE(by_email.ok()) << by_email.status().ToString();
  EXPECT_EQ(by_email->user_id(), u.user_id());
  EXPECT_EQ(by_email->record.logins_count, 1);
  EXPECT_EQ(by_email->record.last_ip, "10.0.0.1");
  ASSERT_TRUE(by_email->record.last_login_ms.has_value());
  EXPECT_EQ(*by_email->record.last_login_ms, clock_.NowSeconds() * 1000);
  auto by_username = service_->Authenticate("Ada", "correct horse", "10.0.0.2");
  ASSERT_TRUE(by_username.ok());
  EXPECT_EQ(by_username->record.logins_count, 2);
}

TEST_F(AccountsTest, WrongPasswordAndUnknownUserLookTheSame) {
  MustSignUp("ada@example.com", "correct horse");
  auto wrong = service_->Authenticate("ada@example.com", "wrong horse", "10.0.0.1");
  auto unknown = service_->Authenticate("nobody@example.com", "wrong horse", "10.0.0.1");
  auto empty = service_->Authenticate("", "", "10.0.0.1");
  for (const Status& s : {wrong.status(), unknown.status(), empty.status()}) {
    EXPECT_EQ(s.code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(s.message(), "Wrong email or password.");
  }
  auto user = service_->GetByEmail("ada@example.com");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->record.logins_count, 0);
}

TEST_F(AccountsTest, OversizedPasswordIsAWrongPassword) {
  MustSignUp("ada@example.com", "correct horse");
  auto r = service_->Authenticate("ada@example.com", std::string(100000, 'x'), "10.0.0.1");
  EXPECT_EQ(r.status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, BlockedUserIsDeniedOnlyWithTheRightPassword) {
  User u = MustSignUp("ada@example.com", "correct horse");
  storage::UserRecord r = u.record;
  r.blocked = true;
  ASSERT_TRUE(storage_->users().Update(r, r.version).ok());
  EXPECT_EQ(service_->Authenticate("ada@example.com", "wrong horse", "1.1.1.1").status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(service_->Authenticate("ada@example.com", "correct horse", "1.1.1.1").status().code(),
            ErrorCode::kPermissionDenied);
}

TEST_F(AccountsTest, BcryptHashIsUpgradedToArgon2idOnLogin) {
  // `htpasswd -bnBC 4 u 'Secret123!'`
  SignUpInput in;
  in.email = "legacy@example.com";
  in.password_hash = "$2y$04$mwU3ZVU8QYXvhyT.ysIrUO0lKBXP3WXz9SxHq9OFV1RLb8mWt65Mi";
  ASSERT_TRUE(service_->SignUp(in).ok());
  auto r = service_->Authenticate("legacy@example.com", "Secret123!", "10.0.0.1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto stored = service_->GetByEmail("legacy@example.com");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->record.password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(stored->record.logins_count, 1);
  EXPECT_TRUE(service_->Authenticate("legacy@example.com", "Secret123!", "10.0.0.1").ok());
  EXPECT_FALSE(service_->Authenticate("legacy@example.com", "Secret123?", "10.0.0.1").ok());
}

TEST_F(AccountsTest, WeakerArgonIsUpgradedToTheConfiguredCost) {
  SignUpInput in;
  in.email = "weak@example.com";
  auto weak = crypto::HashPassword("correct horse", {.memory_kib = 512, .iterations = 1});
  ASSERT_TRUE(weak.ok());
  in.password_hash = *weak;
  ASSERT_TRUE(service_->SignUp(in).ok());
  ASSERT_TRUE(service_->Authenticate("weak@example.com", "correct horse", "1.1.1.1").ok());
  auto stored = service_->GetByEmail("weak@example.com");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->record.password_hash.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u);
}

TEST_F(AccountsTest, SignUpRefusesUnsupportedPreHashedPasswords) {
  SignUpInput in;
  in.email = "md5@example.com";
  in.password_hash = "$1$abc$def";
  EXPECT_EQ(service_->SignUp(in).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(AccountsTest, SetPasswordChangesCredentialsAndBumpsTheEpoch) {
  User u = MustSignUp("ada@example.com", "correct horse");
  clock_.Advance(std::chrono::seconds(5));
  auto changed = service_->SetPassword(u.user_id(), "battery staple");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->record.credentials_epoch, u.record.credentials_epoch + 1);
  ASSERT_TRUE(changed->record.last_password_reset_ms.has_value());
  EXPECT_EQ(*changed->record.last_password_reset_ms, clock_.NowSeconds() * 1000);
  EXPECT_FALSE(service_->Authenticate("ada@example.com", "correct horse", "1.1.1.1").ok());
  EXPECT_TRUE(service_->Authenticate("ada@example.com", "battery staple", "1.1.1.1").ok());
  EXPECT_EQ(service_->SetPassword(u.user_id(), "short").status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->SetPassword(u.user_id(), "ada@example.com").status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->SetPassword("auth0|nobody", "battery staple").status().code(),
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace gatehouse::accounts::testing
