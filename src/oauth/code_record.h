#pragma once
// Storage layout of authorization codes (internal to oauth): record kind
// "code", id = HashToken(code), data = CodeGrant::ToJson(). Redemption does
// not delete the record: it compare-and-sets a "redeemed_grant" member naming
// the grant it created, and keeps the record as long as that grant may live,
// so a replayed code finds which tokens to revoke.

#include <cstdint>

namespace gatehouse::oauth {

inline constexpr const char* kCodeKind = "code";
inline constexpr int64_t kCodeLifetimeSeconds = 60;
inline constexpr const char* kRedeemedGrantMember = "redeemed_grant";

}  // namespace gatehouse::oauth
