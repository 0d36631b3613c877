#pragma once
// Storage slice: users (SPEC §5.1). A typed table, because users are found by
// email and username and searched by the Management API, which the generic
// records cannot index.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gatehouse::storage {

// The case folding behind every case-insensitive comparison of this slice
// (email, username, the List search): ASCII letters only, identically on every
// backend (SQLite's lower() and PostgreSQL's lower() disagree beyond ASCII, so
// backends store folded copies instead of indexing lower()).
inline std::string FoldCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct UserRecord {
  std::string user_id;     // "auth0|<hex>" for the database connection; primary key
  std::string connection;  // e.g. "Username-Password-Authentication"
  std::string email;       // as given; unique per connection, compared case-insensitively
  bool email_verified = false;
  std::string username;  // "" when unset; unique per connection when set (case-insensitive)
  std::string name, nickname, given_name, family_name, picture;
  std::string password_hash;         // PHC argon2id or "$2a$/$2b$" bcrypt; "" when none. A secret.
  std::string user_metadata = "{}";  // JSON object text
  std::string app_metadata = "{}";   // JSON object text
  bool blocked = false;
  int64_t created_at_ms = 0;  // set by Create
  int64_t updated_at_ms = 0;  // set by every write
  std::optional<int64_t> last_login_ms;
  std::string last_ip;
  int64_t logins_count = 0;
  std::optional<int64_t> last_password_reset_ms;
  // Bumped whenever credentials change (password reset, block): refresh tokens
  // minted under an older epoch are dead, with no per-token bookkeeping.
  int64_t credentials_epoch = 0;
  int64_t version = 0;  // 1 after Create, +1 on every successful write
};

struct UserQuery {
  // "" = all; else a case-insensitive substring of email, name or username,
  // taken literally ('%' and '_' are not wildcards).
  std::string q{};
  std::string connection{};  // "" = any
  int page = 0;              // zero-based
  int per_page = 50;         // 1..100
};

struct UserPage {
  std::vector<UserRecord> users;  // ordered by created_at_ms, then user_id
  int64_t total = 0;              // matches of the query across all pages
};

class UserRepo {
 public:
  virtual ~UserRepo() = default;

  // Stores a new user (version 1, created_at_ms = updated_at_ms = now from the
  // clock; the given version and timestamps are ignored). AlreadyExists if the
  // user_id, or the (connection, email), or the (connection, username) is taken
  // (case-insensitively). InvalidArgument if user_id, connection or email is empty.
  // Returns the stored record.
  virtual Result<UserRecord> Create(const UserRecord& user) = 0;

  // NotFound when absent. Email and username match case-insensitively.
  virtual Result<UserRecord> Get(const std::string& user_id) = 0;
  virtual Result<UserRecord> GetByEmail(const std::string& connection,
                                        const std::string& email) = 0;
  virtual Result<UserRecord> GetByUsername(const std::string& connection,
                                           const std::string& username) = 0;
  // Every user with that email in any connection (Management API users-by-email); may be empty.
  virtual Result<std::vector<UserRecord>> FindByEmail(const std::string& email) = 0;

  // One page of the matches and their total count, read from one snapshot.
  // InvalidArgument if page < 0 or per_page is outside 1..100.
  virtual Result<UserPage> List(const UserQuery& query) = 0;

  // Replaces every mutable field with `user`'s iff the stored version equals
  // `expected_version` (compare-and-set; callers re-read and retry on Conflict).
  // user_id, created_at_ms and the login bookkeeping (logins_count,
  // last_login_ms, last_ip: owned by RecordLogin) are not changed by this call;
  // updated_at_ms becomes now. Returns the stored record.
  // NotFound, Conflict, AlreadyExists (email/username now collides),
  // InvalidArgument (empty connection or email).
  virtual Result<UserRecord> Update(const UserRecord& user, int64_t expected_version) = 0;

  // Atomically increments logins_count and sets last_login_ms/updated_at_ms to
  // now and last_ip (no version check: concurrent logins all count). Does not
  // bump the version, so a login never makes a concurrent Update lose its
  // compare-and-set. Returns the stored record. NotFound when absent.
  virtual Result<UserRecord> RecordLogin(const std::string& user_id, const std::string& ip) = 0;

  // Deletes; NotFound when absent.
  virtual Status Delete(const std::string& user_id) = 0;
};

}  // namespace gatehouse::storage
