#pragma once
// Users of the database connection (SPEC §1, §5.1): sign-up, password login
// with brute-force protection, password changes, Auth0 export import, and the
// Auth0 JSON shape of a user. Storage-agnostic: works on storage::Storage.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "storage/storage.h"

namespace gatehouse::accounts {

// The one database connection of a deployment, named as Auth0 names it.
inline constexpr const char* kDatabaseConnection = "Username-Password-Authentication";

struct User {
  storage::UserRecord record;
  const std::string& user_id() const { return record.user_id; }
  // The Auth0 Management API shape (SPEC §5.1): user_id, email, email_verified,
  // username (when set), name, nickname, given_name, family_name, picture,
  // created_at/updated_at/last_login/last_password_reset as ISO-8601 UTC with
  // milliseconds, last_ip, logins_count, blocked, identities
  // ([{provider:"auth0", connection, user_id:<id without "auth0|">, isSocial:false}]),
  // user_metadata, app_metadata (objects). Never the password hash.
  nlohmann::json ToJson() const;
};

struct SignUpInput {
  std::string email;     // required, validated (one '@', no spaces, <= 254 bytes)
  std::string password;  // required, checked against the password policy
  std::string username;  // optional
  std::string given_name, family_name, name, nickname, picture;
  bool email_verified = false;
  nlohmann::json user_metadata = nlohmann::json::object();
  nlohmann::json app_metadata = nlohmann::json::object();
  // Pre-hashed password (bcrypt or argon2id PHC) instead of `password`, for imports.
  std::string password_hash;
};

struct UserServiceOptions {
  std::string connection = kDatabaseConnection;
  int max_failed_attempts = 10;  // per (user, ip): the 11th attempt is refused
  // A failure counter with no new failure for this long is forgotten, which
  // keeps storage bounded under password spraying from many addresses.
  int64_t failed_attempts_ttl_seconds = 30 * 24 * 3600;
  int min_password_length = 8;
  int max_password_length = 256;  // longer passwords are refused before hashing (DoS)
  // Argon2id cost (OWASP: m=19 MiB, t=2, p=1). Tests and benchmarks may lower it.
  uint32_t argon2_memory_kib = 19 * 1024;
  uint32_t argon2_iterations = 2;
};

struct ImportReport {
  int imported = 0;
  int skipped = 0;                  // already existing emails
  std::vector<std::string> errors;  // "line 3: invalid email"
};

// Thread-safe.
class UserService {
 public:
  static std::unique_ptr<UserService> Create(storage::Storage& storage, Clock& clock,
                                             Random& random, UserServiceOptions options = {});
  virtual ~UserService() = default;

  // Creates a user with user_id "auth0|<24 hex>". InvalidArgument with a
  // message safe to show the user (bad email, weak password), AlreadyExists
  // when the email (or username) is taken.
  virtual Result<User> SignUp(const SignUpInput& input) = 0;

  // Password login by email or username, from `ip`. On success records the
  // login (logins_count, last_login, last_ip) and upgrades bcrypt or weaker
  // argon2 hashes. Errors, all with public messages that never reveal whether
  // the user exists:
  //   Unauthenticated   "Wrong email or password." (unknown user or wrong password;
  //                     both paths cost one password-hash verification)
  //   ResourceExhausted too many failed attempts for this (user, ip): blocked until
  //                     UnblockAttempts or a password change (the 11th attempt and later,
  //                     even with the right password)
  //   PermissionDenied  the user is blocked by an administrator
  virtual Result<User> Authenticate(const std::string& identifier, const std::string& password,
                                    const std::string& ip) = 0;

  virtual Result<User> Get(const std::string& user_id) = 0;
  virtual Result<User> GetByEmail(const std::string& email) = 0;

  // Sets a new password (policy-checked), sets last_password_reset, bumps
  // credentials_epoch (which kills refresh tokens and brute-force blocks).
  virtual Result<User> SetPassword(const std::string& user_id, const std::string& password) = 0;

  // Merges metadata with Management-API semantics (SPEC §5.2): top-level keys
  // of a patch replace stored keys (a nested object replaces the stored one
  // whole), null deletes a key, other keys stay. Either patch may be null (=
  // leave that metadata alone); non-null patches must be JSON objects whose
  // keys contain no '.' or '$' (InvalidArgument). Compare-and-set with retry,
  // so concurrent updates of different keys never lose one. Size limit: 16 KiB
  // per metadata object after merging (InvalidArgument). This is the one code
  // path behind PATCH /api/v2/users/{id} and auth0.users.update*Metadata.
  virtual Result<User> UpdateMetadata(const std::string& user_id,
                                      const nlohmann::json& user_metadata_patch,
                                      const nlohmann::json& app_metadata_patch) = 0;

  // Clears the failed-attempt counters of `user_id` from every ip.
  virtual Status UnblockAttempts(const std::string& user_id) = 0;

  // Imports an Auth0 user export: one JSON object per line (fields email,
  // email_verified, user_id, given_name, family_name, name, nickname, picture,
  // user_metadata, app_metadata, and a bcrypt hash as "password_hash" or
  // "custom_password_hash": {"algorithm":"bcrypt","hash":{"value":...}}).
  // Bad lines are reported, good ones imported.
  virtual Result<ImportReport> Import(const std::string& jsonl) = 0;
};

}  // namespace gatehouse::accounts
