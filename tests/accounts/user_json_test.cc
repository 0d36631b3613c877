// User::ToJson: the Auth0 Management API shape.

#include <gtest/gtest.h>

#include "accounts/user_service.h"
#include "core/iso_time.h"

namespace gatehouse::accounts {
namespace {

TEST(IsoTimeTest, MillisecondsInUtc) {
  EXPECT_EQ(IsoTimeMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(IsoTimeMs(1'795'838'260'123), "2026-11-28T03:57:40.123Z");
  EXPECT_EQ(IsoTimeMs(1'795'838'260'007), "2026-11-28T03:57:40.007Z");
  EXPECT_EQ(IsoTimeMs(-1), "1969-12-31T23:59:59.999Z");
}

storage::UserRecord FullRecord() {
  storage::UserRecord r;
  r.user_id = "auth0|5f7c8ec7c33c6c004bbafe82";
  r.connection = kDatabaseConnection;
  r.email = "ada@example.com";
  r.email_verified = true;
  r.username = "ada";
  r.name = "Ada Lovelace";
  r.nickname = "ada";
  r.given_name = "Ada";
  r.family_name = "Lovelace";
  r.picture = "https://example.com/a.png";
  r.password_hash = "$argon2id$secret";
  r.user_metadata = R"({"theme":"dark"})";
  r.app_metadata = R"({"roles":["admin"]})";
  r.created_at_ms = 1'795'838'260'123;
  r.updated_at_ms = 1'795'838'261'000;
  r.last_login_ms = 1'795'838'262'456;
  r.last_ip = "203.0.113.9";
  r.logins_count = 3;
  r.last_password_reset_ms = 1'795'838'260'500;
  return r;
}

TEST(UserJsonTest, FullUserHasTheAuth0Shape) {
  nlohmann::json expected = R"({
    "user_id": "auth0|5f7c8ec7c33c6c004bbafe82",
    "email": "ada@example.com",
    "email_verified": true,
    "username": "ada",
    "name": "Ada Lovelace",
    "nickname": "ada",
    "given_name": "Ada",
    "family_name": "Lovelace",
    "picture": "https://example.com/a.png",
    "created_at": "2026-11-28T03:57:40.123Z",
    "updated_at": "2026-11-28T03:57:41.000Z",
    "last_login": "2026-11-28T03:57:42.456Z",
    "last_password_reset": "2026-11-28T03:57:40.500Z",
    "last_ip": "203.0.113.9",
    "logins_count": 3,
    "blocked": false,
    "identities": [{"connection": "Username-Password-Authentication", "provider": "auth0",
                    "user_id": "5f7c8ec7c33c6c004bbafe82", "isSocial": false}],
    "user_metadata": {"theme": "dark"},
    "app_metadata": {"roles": ["admin"]}
  })"_json;
  EXPECT_EQ(User{FullRecord()}.ToJson(), expected);
}

TEST(UserJsonTest, AbsentAttributesAreLeftOutAndTheHashNeverShows) {
  storage::UserRecord r;
  r.user_id = "auth0|abc";
  r.connection = kDatabaseConnection;
  r.email = "x@example.com";
  r.name = "x@example.com";
  r.nickname = "x";
  r.password_hash = "$2b$10$secretsecretsecretsecretsecretsecretsecretsecretsecre";
  r.user_metadata = "not json";  // a damaged column still renders an object
  nlohmann::json j = User{r}.ToJson();
  for (const char* absent : {"username", "given_name", "family_name", "picture", "last_ip",
                             "last_login", "last_password_reset", "password_hash"}) {
    EXPECT_FALSE(j.contains(absent)) << absent;
  }
  EXPECT_EQ(j["user_metadata"], nlohmann::json::object());
  EXPECT_EQ(j["app_metadata"], nlohmann::json::object());
  EXPECT_EQ(j["logins_count"], 0);
  EXPECT_EQ(j.dump().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::accounts
