// UserRepo: the users slice contract (user_repo.h), on every backend.

#include <chrono>
#include <string>

#include "storage/conformance/storage_conformance.h"

namespace gatehouse::storage::testing {
namespace {

constexpr char kConn[] = "Username-Password-Authentication";

UserRecord NewUser(const std::string& id, const std::string& email,
                   const std::string& username = "") {
  UserRecord u;
  u.user_id = id;
  u.connection = kConn;
  u.email = email;
  u.username = username;
  u.name = "Name of " + id;
  u.password_hash = "$argon2id$v=19$m=1024,t=2,p=1$c2FsdA$aGFzaA";
  return u;
}

int64_t NowMs(const Clock& c) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(c.Now().time_since_epoch()).count();
}

TEST_P(UserRepoConformance, CreateThenGetRoundTripsEveryField) {
  UserRecord u = NewUser("auth0|1", "Ada@Example.com", "ada");
  u.email_verified = true;
  u.nickname = "ada";
  u.given_name = "Ada";
  u.family_name = "Lovelace";
  u.picture = "https://example.com/ada.png";
  u.user_metadata = R"({"theme":"dark"})";
  u.app_metadata = R"({"roles":["admin"]})";
  u.blocked = true;
  u.last_password_reset_ms = 123;
  u.credentials_epoch = 7;
  u.version = 99;       // ignored
  u.created_at_ms = 5;  // ignored
  clock_.Advance(std::chrono::milliseconds(250));
  auto created = users().Create(u);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->created_at_ms, NowMs(clock_));
  EXPECT_EQ(created->updated_at_ms, NowMs(clock_));
  EXPECT_EQ(created->created_at_ms % 1000, 250);  // millisecond precision

  auto got = users().Get("auth0|1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->email, "Ada@Example.com");  // stored as given
  EXPECT_TRUE(got->email_verified);
  EXPECT_EQ(got->username, "ada");
  EXPECT_EQ(got->nickname, "ada");
  EXPECT_EQ(got->given_name, "Ada");
  EXPECT_EQ(got->family_name, "Lovelace");
  EXPECT_EQ(got->picture, "https://example.com/ada.png");
  EXPECT_EQ(got->password_hash, u.password_hash);
  EXPECT_EQ(got->user_metadata, R"({"theme":"dark"})");
  EXPECT_EQ(got->app_metadata, R"({"roles":["admin"]})");
  EXPECT_TRUE(got->blocked);
  EXPECT_EQ(got->last_password_reset_ms, 123);
  EXPECT_FALSE(got->last_login_ms.has_value());
  EXPECT_EQ(got->logins_count, 0);
  EXPECT_EQ(got->credentials_epoch, 7);
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->created_at_ms, created->created_at_ms);
}

TEST_P(UserRepoConformance, MissingUsersAreNotFound) {
  EXPECT_EQ(users().Get("auth0|none").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().GetByEmail(kConn, "x@example.com").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().GetByUsername(kConn, "x").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().GetByUsername(kConn, "").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().RecordLogin("auth0|none", "1.2.3.4").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().Delete("auth0|none").code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().Update(NewUser("auth0|none", "x@example.com"), 1).status().code(),
            ErrorCode::kNotFound);
  auto found = users().FindByEmail("x@example.com");
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
}

TEST_P(UserRepoConformance, CreateRefusesEmptyKeys) {
  EXPECT_EQ(users().Create(NewUser("", "a@example.com")).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(users().Create(NewUser("auth0|1", "")).status().code(), ErrorCode::kInvalidArgument);
  UserRecord no_conn = NewUser("auth0|1", "a@example.com");
  no_conn.connection = "";
  EXPECT_EQ(users().Create(no_conn).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(users().Get("auth0|1").status().code(), ErrorCode::kNotFound);
}

TEST_P(UserRepoConformance, DuplicatesAreAlreadyExists) {
  ASSERT_TRUE(users().Create(NewUser("auth0|1", "ada@example.com", "ada")).ok());
  // Same id.
  EXPECT_EQ(users().Create(NewUser("auth0|1", "other@example.com")).status().code(),
            ErrorCode::kAlreadyExists);
  // Same email, differently cased.
  EXPECT_EQ(users().Create(NewUser("auth0|2", "ADA@EXAMPLE.COM")).status().code(),
            ErrorCode::kAlreadyExists);
  // Same username, differently cased.
  EXPECT_EQ(users().Create(NewUser("auth0|3", "b@example.com", "ADA")).status().code(),
            ErrorCode::kAlreadyExists);
  // Nothing of the refused users was stored.
  EXPECT_EQ(users().Get("auth0|2").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().Get("auth0|3").status().code(), ErrorCode::kNotFound);
}

TEST_P(UserRepoConformance, EmptyUsernamesDoNotCollide) {
  ASSERT_TRUE(users().Create(NewUser("auth0|1", "a@example.com")).ok());
  ASSERT_TRUE(users().Create(NewUser("auth0|2", "b@example.com")).ok());
  ASSERT_TRUE(users().Create(NewUser("auth0|3", "c@example.com", "")).ok());
}

TEST_P(UserRepoConformance, UniquenessIsPerConnection) {
  ASSERT_TRUE(users().Create(NewUser("auth0|1", "ada@example.com", "ada")).ok());
  UserRecord other = NewUser("other|1", "Ada@example.com", "ada");
  other.connection = "other-db";
  ASSERT_TRUE(users().Create(other).ok());
  auto both = users().FindByEmail("ADA@example.com");
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0].user_id, "auth0|1");
  EXPECT_EQ((*both)[1].user_id, "other|1");
  auto in_other = users().GetByEmail("other-db", "ada@EXAMPLE.com");
  ASSERT_TRUE(in_other.ok());
  EXPECT_EQ(in_other->user_id, "other|1");
}

TEST_P(UserRepoConformance, LookupsAreCaseInsensitive) {
  ASSERT_TRUE(users().Create(NewUser("auth0|1", "Ada@Example.com", "AdaL")).ok());
  auto by_email = users().GetByEmail(kConn, "aDA@eXAMPLE.COM");
  ASSERT_TRUE(by_email.ok());
  EXPECT_EQ(by_email->user_id, "auth0|1");
  auto by_username = users().GetByUsername(kConn, "adal");
  ASSERT_TRUE(by_username.ok());
  EXPECT_EQ(by_username->user_id, "auth0|1");
  EXPECT_EQ(users().GetByEmail("other-db", "ada@example.com").status().code(),
            ErrorCode::kNotFound);
  // A user id is an exact key.
  EXPECT_EQ(users().Get("AUTH0|1").status().code(), ErrorCode::kNotFound);
}

TEST_P(UserRepoConformance, UpdateIsCompareAndSet) {
  auto created = users().Create(NewUser("auth0|1", "ada@example.com"));
  ASSERT_TRUE(created.ok());
  clock_.Advance(std::chrono::seconds(5));
  UserRecord changed = *created;
  changed.name = "Ada Lovelace";
  changed.email_verified = true;
  changed.credentials_epoch = 1;
  changed.created_at_ms = 1;    // not changed by Update
  changed.logins_count = 1000;  // not changed by Update
  changed.last_ip = "6.6.6.6";  // not changed by Update
  auto updated = users().Update(changed, 1);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->name, "Ada Lovelace");
  EXPECT_TRUE(updated->email_verified);
  EXPECT_EQ(updated->credentials_epoch, 1);
  EXPECT_EQ(updated->created_at_ms, created->created_at_ms);
  EXPECT_EQ(updated->updated_at_ms, created->created_at_ms + 5000);
  EXPECT_EQ(updated->logins_count, 0);
  EXPECT_EQ(updated->last_ip, "");

  // A stale version loses and changes nothing.
  changed.name = "stale";
  EXPECT_EQ(users().Update(changed, 1).status().code(), ErrorCode::kConflict);
  auto got = users().Get("auth0|1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Ada Lovelace");
  EXPECT_EQ(got->version, 2);
}

TEST_P(UserRepoConformance, UpdateCannotTakeAnotherUsersEmailOrUsername) {
  ASSERT_TRUE(users().Create(NewUser("auth0|1", "a@example.com", "alice")).ok());
  auto bob = users().Create(NewUser("auth0|2", "b@example.com", "bob"));
  ASSERT_TRUE(bob.ok());
  UserRecord steal = *bob;
  steal.email = "A@Example.com";
  EXPECT_EQ(users().Update(steal, 1).status().code(), ErrorCode::kAlreadyExists);
  steal = *bob;
  steal.username = "ALICE";
  EXPECT_EQ(users().Update(steal, 1).status().code(), ErrorCode::kAlreadyExists);
  steal = *bob;
  steal.email = "";
  EXPECT_EQ(users().Update(steal, 1).status().code(), ErrorCode::kInvalidArgument);
  auto got = users().Get("auth0|2");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->email, "b@example.com");
  EXPECT_EQ(got->username, "bob");
  EXPECT_EQ(got->version, 1);
  // Changing the case of one's own email is fine.
  UserRecord recase = *got;
  recase.email = "B@example.com";
  auto ok = users().Update(recase, 1);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->email, "B@example.com");
}

TEST_P(UserRepoConformance, RecordLoginCountsAndKeepsTheVersion) {
  ASSERT_TRUE(users().Create(NewUser("auth0|1", "a@example.com")).ok());
  clock_.Advance(std::chrono::milliseconds(1500));
  auto first = users().RecordLogin("auth0|1", "10.0.0.1");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->logins_count, 1);
  EXPECT_EQ(first->last_ip, "10.0.0.1");
  ASSERT_TRUE(first->last_login_ms.has_value());
  EXPECT_EQ(*first->last_login_ms, NowMs(clock_));
  EXPECT_EQ(first->version, 1);
  auto second = users().RecordLogin("auth0|1", "10.0.0.2");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->logins_count, 2);
  EXPECT_EQ(second->last_ip, "10.0.0.2");
  // An Update based on the pre-login read still wins, and keeps the login data.
  auto before = users().Get("auth0|1");
  ASSERT_TRUE(before.ok());
  UserRecord edit = *before;
  edit.nickname = "al";
  auto updated = users().Update(edit, 1);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->logins_count, 2);
  EXPECT_EQ(updated->last_ip, "10.0.0.2");
}

TEST_P(UserRepoConformance, DeleteRemovesAndFreesTheEmail) {
  ASSERT_TRUE(users().Create(NewUser("auth0|1", "a@example.com", "al")).ok());
  EXPECT_TRUE(users().Delete("auth0|1").ok());
  EXPECT_EQ(users().Get("auth0|1").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().Delete("auth0|1").code(), ErrorCode::kNotFound);
  EXPECT_TRUE(users().Create(NewUser("auth0|2", "A@example.com", "AL")).ok());
}

TEST_P(UserRepoConformance, ListPagesInCreationOrderWithTotal) {
  for (int i = 0; i < 7; ++i) {
    // Ids deliberately not in creation order: the order is created_at, then id.
    ASSERT_TRUE(users()
                    .Create(NewUser("auth0|" + std::to_string(9 - i),
                                    "u" + std::to_string(i) + "@example.com"))
                    .ok());
    clock_.Advance(std::chrono::milliseconds(1));
  }
  std::vector<std::string> seen;
  for (int page = 0; page < 4; ++page) {
    auto p = users().List({.q = "", .connection = "", .page = page, .per_page = 3});
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->total, 7);
    EXPECT_EQ(p->users.size(), page < 2 ? 3u : (page == 2 ? 1u : 0u));
    for (const auto& u : p->users) seen.push_back(u.user_id);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"auth0|9", "auth0|8", "auth0|7", "auth0|6", "auth0|5",
                                            "auth0|4", "auth0|3"}));
}

TEST_P(UserRepoConformance, ListTiesOnCreationTimeBreakById) {
  ASSERT_TRUE(users().Create(NewUser("auth0|b", "b@example.com")).ok());
  ASSERT_TRUE(users().Create(NewUser("auth0|a", "a@example.com")).ok());
  auto p = users().List({});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->users.size(), 2u);
  EXPECT_EQ(p->users[0].user_id, "auth0|a");
  EXPECT_EQ(p->users[1].user_id, "auth0|b");
}

TEST_P(UserRepoConformance, ListSearchesEmailNameAndUsernameCaseInsensitively) {
  UserRecord a = NewUser("auth0|1", "ada@example.com", "countess");
  a.name = "Ada Lovelace";
  UserRecord b = NewUser("auth0|2", "grace@navy.mil", "amazing");
  b.name = "Grace Hopper";
  UserRecord c = NewUser("auth0|3", "alan@example.org", "");
  c.name = "Alan Turing";
  ASSERT_TRUE(users().Create(a).ok());
  ASSERT_TRUE(users().Create(b).ok());
  ASSERT_TRUE(users().Create(c).ok());
  auto ids = [&](const std::string& q) {
    std::vector<std::string> out;
    auto p = users().List({.q = q});
    EXPECT_TRUE(p.ok());
    if (!p.ok()) return out;
    EXPECT_EQ(p->total, static_cast<int64_t>(p->users.size()));
    for (const auto& u : p->users) out.push_back(u.user_id);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids("EXAMPLE"), (V{"auth0|1", "auth0|3"}));  // email
  EXPECT_EQ(ids("hopper"), (V{"auth0|2"}));              // name
  EXPECT_EQ(ids("CounT"), (V{"auth0|1"}));               // username
  EXPECT_EQ(ids("a"), (V{"auth0|1", "auth0|2", "auth0|3"}));
  EXPECT_EQ(ids("nobody"), V{});
  EXPECT_EQ(ids(""), (V{"auth0|1", "auth0|2", "auth0|3"}));
}

TEST_P(UserRepoConformance, ListSearchTakesWildcardsLiterally) {
  UserRecord pct = NewUser("auth0|1", "pct@example.com");
  pct.name = "100% Real";
  UserRecord und = NewUser("auth0|2", "first_last@example.com");
  UserRecord plain = NewUser("auth0|3", "firstxlast@example.com");
  plain.name = "1000 Real";
  UserRecord slash = NewUser("auth0|4", "back\\slash@example.com");
  ASSERT_TRUE(users().Create(pct).ok());
  ASSERT_TRUE(users().Create(und).ok());
  ASSERT_TRUE(users().Create(plain).ok());
  ASSERT_TRUE(users().Create(slash).ok());
  auto only = [&](const std::string& q) {
    auto p = users().List({.q = q});
    EXPECT_TRUE(p.ok());
    std::vector<std::string> out;
    if (p.ok()) {
      for (const auto& u : p->users) out.push_back(u.user_id);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(only("%"), (V{"auth0|1"}));
  EXPECT_EQ(only("100%"), (V{"auth0|1"}));
  EXPECT_EQ(only("_"), (V{"auth0|2"}));
  EXPECT_EQ(only("first_last"), (V{"auth0|2"}));
  EXPECT_EQ(only("\\"), (V{"auth0|4"}));
  EXPECT_EQ(only("%%"), V{});
}

TEST_P(UserRepoConformance, ListFiltersByConnection) {
  ASSERT_TRUE(users().Create(NewUser("auth0|1", "a@example.com")).ok());
  UserRecord other = NewUser("x|1", "a@example.com");
  other.connection = "other-db";
  ASSERT_TRUE(users().Create(other).ok());
  auto p = users().List({.connection = "other-db"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 1);
  ASSERT_EQ(p->users.size(), 1u);
  EXPECT_EQ(p->users[0].user_id, "x|1");
  auto all = users().List({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 2);
}

TEST_P(UserRepoConformance, ListRefusesBadPaging) {
  EXPECT_EQ(users().List({.per_page = 0}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(users().List({.per_page = 101}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(users().List({.page = -1}).status().code(), ErrorCode::kInvalidArgument);
  auto max = users().List({.per_page = 100});
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->total, 0);
  EXPECT_TRUE(max->users.empty());
}

}  // namespace
}  // namespace gatehouse::storage::testing
