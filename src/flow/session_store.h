#pragma once
// SSO sessions (record kind "session"): the browser holds a random 256-bit
// cookie value, the record id is its hex SHA-256, so the database never holds
// a usable cookie. Absolute lifetime from the authentication.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "storage/record_repo.h"

namespace gatehouse::flow {

inline constexpr const char* kSessionKind = "session";

struct SsoSession {
  std::string id;  // record id = Sha256Hex(cookie value)
  std::string user_id;
  int64_t auth_time = 0;  // unix seconds of the password authentication
  nlohmann::json amr = nlohmann::json::array();
  std::vector<std::string> clients;  // client_ids that got a login from this session
  int64_t version = 0;
};

struct NewSession {
  std::string cookie_value;  // goes to the browser only
  SsoSession session;
};

// Thread-safe (stateless over the storage).
class SessionStore {
 public:
  SessionStore(storage::RecordRepo& records, Random& random, Clock& clock,
               int64_t lifetime_seconds);

  // A new session under a fresh cookie value, expiring lifetime_seconds after
  // `auth_time`.
  Result<NewSession> Create(const std::string& user_id, int64_t auth_time,
                            const nlohmann::json& amr, const std::string& client_id);

  // The live session for a cookie value. NotFound when absent or expired (also
  // for an empty cookie value); Internal when the record is corrupt.
  Result<SsoSession> Find(const std::string& cookie_value);

  // Records that `client_id` got a login from `session` (no-op when already
  // listed). Conflict when the session changed since it was read.
  Status AddClient(SsoSession& session, const std::string& client_id);

  // Deletes the session of a cookie value; absent is not an error.
  Status Delete(const std::string& cookie_value);

  // How long a session cookie should live (the session's lifetime).
  int64_t lifetime_seconds() const { return lifetime_seconds_; }

 private:
  nlohmann::json Payload(const SsoSession& s) const;

  storage::RecordRepo& records_;
  Random& random_;
  Clock& clock_;
  int64_t lifetime_seconds_;
};

}  // namespace gatehouse::flow
