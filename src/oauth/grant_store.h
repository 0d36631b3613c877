#pragma once
// Grants (internal to oauth): one record per user login at the token endpoint
// (kind "grant"), which is also the refresh-token family. Access tokens carry
// the grant id (claim kGrantClaim), so revoking the grant kills its access
// tokens at /userinfo and every refresh token of the family at once.
//
// Refresh tokens: opaque 256-bit random, record kind "refresh_token" with
// id = HashToken(token) and data {grant_id, used}. Using one marks it used by
// compare-and-set; presenting a used one (or losing that race) revokes the
// family. Idle lifetime per token, absolute lifetime per family.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "storage/storage.h"

namespace gatehouse::oauth {

inline constexpr const char* kGrantKind = "grant";
inline constexpr const char* kRefreshTokenKind = "refresh_token";
// Private access-token claim naming the grant the token was issued from.
inline constexpr const char* kGrantClaim = "gh_grant";

struct Grant {
  std::string id;
  std::string client_id;
  std::string user_id;
  std::string scope;
  std::string audience;
  std::string issuer;
  std::string session_id;
  int64_t auth_time = 0;
  int64_t credentials_epoch = 0;
  int64_t refresh_expires_at = 0;  // absolute end of the refresh-token family
  bool revoked = false;
  int64_t version = 0;
};

struct GrantLifetimes {
  int64_t access_token_seconds = 86400;
  int64_t refresh_idle_seconds = 15 * 86400;
  int64_t refresh_absolute_seconds = 30 * 86400;
};

// A refresh token found for use; `version` is what MarkUsed compares against.
struct RefreshTokenUse {
  std::string token_hash;
  Grant grant;
  int64_t version = 0;
};

// Thread-safe (all state is in storage).
class GrantStore {
 public:
  GrantStore(storage::RecordRepo& records, Clock& clock, Random& random, GrantLifetimes lifetimes);

  // Stores `grant` under a new id (returned in the copy). The record lives as
  // long as any token minted from it: absolute refresh lifetime plus one
  // access-token lifetime.
  Result<Grant> Create(Grant grant);
  // NotFound when absent or expired.
  Result<Grant> Get(const std::string& id);
  // Marks the grant revoked. Absent grants are not an error.
  Status Revoke(const std::string& id);

  // A new refresh token of `grant`'s family.
  Result<std::string> IssueRefreshToken(const Grant& grant);

  // Looks up a refresh token for use. Unauthenticated (=> invalid_grant) when
  // unknown or expired, when its family is revoked or past its absolute
  // lifetime, and when it was already used: then the family is revoked first.
  // Does not consume it: call MarkUsed once every other check passed.
  Result<RefreshTokenUse> FindForUse(const std::string& token);
  // Consumes the token (compare-and-set). Unauthenticated when someone else
  // used it first: the family is revoked (reuse).
  Status MarkUsed(const RefreshTokenUse& use);

  // The grant of a refresh token, whether or not it was used; NotFound otherwise.
  Result<Grant> GrantOfRefreshToken(const std::string& token);

 private:
  storage::RecordRepo& records_;
  Clock& clock_;
  Random& random_;
  GrantLifetimes lifetimes_;
};

}  // namespace gatehouse::oauth
