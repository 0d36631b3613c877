#pragma once
// Failed-login counters for brute-force protection, kept in records of kind
// "failed_login" so every server node sharing the database sees the same
// counts. A counter is keyed per (user, credentials epoch, ip), so a password
// change (which bumps the epoch) starts every counter of that user afresh, or
// per (login identifier, ip) for identifiers that match no user, so unknown
// and known users block alike. Thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "storage/record_repo.h"

namespace gatehouse::accounts {

class LoginAttempts {
 public:
  static constexpr const char* kRecordKind = "failed_login";

  // A counter not incremented for `ttl_seconds` is forgotten (keeps storage
  // bounded under password spraying from many addresses).
  LoginAttempts(storage::RecordRepo& records, Clock& clock, int64_t ttl_seconds)
      : records_(records), clock_(clock), ttl_seconds_(ttl_seconds) {}

  static std::string UserKey(std::string_view user_id, int64_t credentials_epoch,
                             std::string_view ip);
  // `identifier` is compared case-insensitively.
  static std::string IdentifierKey(std::string_view identifier, std::string_view ip);

  // The current count, 0 when there is no counter.
  Result<int64_t> Count(const std::string& key);
  // Adds one failure with compare-and-set (concurrent failures all count) and
  // returns the new count. Unavailable if the counter stays contended.
  Result<int64_t> Increment(const std::string& key);
  // Forgets one counter; an absent counter is not an error.
  Status Clear(const std::string& key);
  // Forgets every counter of `user_id` (every epoch and ip).
  Status ClearUser(std::string_view user_id);

 private:
  storage::RecordRepo& records_;
  Clock& clock_;
  const int64_t ttl_seconds_;
};

}  // namespace gatehouse::accounts
