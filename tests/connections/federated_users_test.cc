// Federated users over SQLite: the Auth0 user shape of an upstream login, the
// profile refresh at each login, and account linking by verified email (off
// by default).

#include "connections/federated_users.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::connections {
namespace {

using nlohmann::json;

class FederatedUsersTest : public ::testing::Test {
 protected:
  FederatedUsersTest() : storage_(storage::testing::OpenTempSqlite(clock_)), users_(*storage_) {
    conn_.id = "con_test";
    conn_.name = "upstream";
    conn_.issuer = "https://idp.example/";
    conn_.client_id = "gatehouse";
    conn_.is_social = true;
  }

  json Claims() const {
    return {{"iss", "https://idp.example/"},
            {"aud", "gatehouse"},
            {"nonce", "n"},
            {"sub", "u-42"},
            {"email", "jane@example.com"},
            {"email_verified", true},
            {"given_name", "Jane"},
            {"family_name", "Doe"},
            {"locale", "en"}};
  }

  void AddDatabaseUser(bool verified) {
    storage::UserRecord r;
    r.user_id = "auth0|0123456789abcdef01234567";
    r.connection = accounts::kDatabaseConnection;
    r.email = "jane@example.com";
    r.email_verified = verified;
    r.given_name = "Database";
    ASSERT_TRUE(storage_->users().Create(r).ok());
  }

  FakeClock clock_;
  std::unique_ptr<storage::Storage> storage_;
  FederatedUsers users_;
  Connection conn_;
};

TEST_F(FederatedUsersTest, FirstLoginCreatesTheAuth0ShapedUser) {
  auto login = users_.SignIn(conn_, Claims(), "203.0.113.7");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_TRUE(login->created);
  const json& u = login->user_json;
  EXPECT_EQ(u["user_id"], "oidc|upstream|u-42");
  EXPECT_EQ(u["given_name"], "Jane");
  EXPECT_EQ(u["family_name"], "Doe");
  EXPECT_EQ(u["name"], "Jane Doe");
  EXPECT_EQ(u["email_verified"], true);
  EXPECT_EQ(u["logins_count"], 1);
  ASSERT_EQ(u["identities"].size(), 1u);
  const json& id = u["identities"][0];
  EXPECT_EQ(id["provider"], "oidc");
  EXPECT_EQ(id["connection"], "upstream");
  EXPECT_EQ(id["user_id"], "u-42");
  EXPECT_EQ(id["isSocial"], true);
  EXPECT_EQ(id["profileData"]["locale"], "en");
  EXPECT_FALSE(id["profileData"].contains("nonce"));  // token mechanics are not profile
}

TEST_F(FederatedUsersTest, EachLoginRefreshesTheProfileFromTheUpstream) {
  ASSERT_TRUE(users_.SignIn(conn_, Claims(), "203.0.113.7").ok());
  json changed = Claims();
  changed["family_name"] = "Roe";
  changed["email"] = "jane.roe@example.com";
  auto again = users_.SignIn(conn_, changed, "203.0.113.8");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->user_json["family_name"], "Roe");
  EXPECT_EQ(again->user_json["email"], "jane.roe@example.com");
  EXPECT_EQ(again->user_json["logins_count"], 2);
  EXPECT_EQ(again->user_json["identities"].size(), 1u);
}

TEST_F(FederatedUsersTest, ClaimMappingPicksOtherClaims) {
  conn_.claim_mapping["nickname"] = "preferred_username";
  json c = Claims();
  c["preferred_username"] = "jd";
  auto login = users_.SignIn(conn_, c, "203.0.113.7");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->user_json["nickname"], "jd");
}

TEST_F(FederatedUsersTest, NoEmailIsRefusedAndCreatesNothing) {
  json c = Claims();
  c.erase("email");
  auto login = users_.SignIn(conn_, c, "203.0.113.7");
  EXPECT_EQ(login.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(storage_->users().Get("oidc|upstream|u-42").status().code(), ErrorCode::kNotFound);
}

TEST_F(FederatedUsersTest, WithoutLinkingASameEmailDatabaseUserStaysSeparate) {
  AddDatabaseUser(true);
  auto login = users_.SignIn(conn_, Claims(), "203.0.113.7");
  ASSERT_TRUE(login.ok());
  EXPECT_FALSE(login->linked);
  EXPECT_EQ(login->user_json["user_id"], "oidc|upstream|u-42");
}

TEST_F(FederatedUsersTest, LinkingByVerifiedEmailSignsInAsTheDatabaseUser) {
  AddDatabaseUser(true);
  conn_.link_by_verified_email = true;
  auto login = users_.SignIn(conn_, Claims(), "203.0.113.7");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_TRUE(login->linked);
  const json& u = login->user_json;
  EXPECT_EQ(u["user_id"], "auth0|0123456789abcdef01234567");
  EXPECT_EQ(u["given_name"], "Database");  // the database profile is kept
  ASSERT_EQ(u["identities"].size(), 2u);
  EXPECT_EQ(u["identities"][1]["provider"], "oidc");
  EXPECT_EQ(u["identities"][1]["profileData"]["given_name"], "Jane");
  EXPECT_EQ(storage_->users().Get("oidc|upstream|u-42").status().code(), ErrorCode::kNotFound);
  // The link holds on later logins, even if the email changes upstream.
  json c = Claims();
  c["email"] = "other@example.com";
  auto again = users_.SignIn(conn_, c, "203.0.113.7");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->user_json["user_id"], "auth0|0123456789abcdef01234567");
}

TEST_F(FederatedUsersTest, LinkingNeedsBothSidesVerified) {
  AddDatabaseUser(false);
  conn_.link_by_verified_email = true;
  auto login = users_.SignIn(conn_, Claims(), "203.0.113.7");
  ASSERT_TRUE(login.ok());
  EXPECT_FALSE(login->linked);
  json unverified = Claims();
  unverified["sub"] = "u-43";
  unverified["email_verified"] = false;
  unverified["email"] = "jane2@example.com";
  auto other = users_.SignIn(conn_, unverified, "203.0.113.7");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->linked);
}

TEST_F(FederatedUsersTest, ABlockedUserIsRefused) {
  ASSERT_TRUE(users_.SignIn(conn_, Claims(), "203.0.113.7").ok());
  auto stored = storage_->users().Get("oidc|upstream|u-42");
  storage::UserRecord blocked = *stored;
  blocked.blocked = true;
  ASSERT_TRUE(storage_->users().Update(blocked, stored->version).ok());
  EXPECT_EQ(users_.SignIn(conn_, Claims(), "203.0.113.7").status().code(),
            ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace gatehouse::connections
