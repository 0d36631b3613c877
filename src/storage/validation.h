#pragma once
// Input limits of the storage contract (record_repo.h, secret_repo.h,
// signing_key_repo.h), checked the same way by every backend before anything
// is written, so a bad key fails identically on SQLite and PostgreSQL.

#include <cstddef>
#include <string_view>

#include "core/status.h"

namespace gatehouse::storage {

inline constexpr size_t kMaxKindBytes = 64;
inline constexpr size_t kMaxIdBytes = 256;
inline constexpr size_t kMaxDataBytes = 1024 * 1024;
inline constexpr size_t kMaxSecretNameBytes = 256;

// Ok, or InvalidArgument unless `kind` matches [a-z0-9_]{1,64}.
Status ValidateKind(std::string_view kind);
// Ok, or InvalidArgument unless `id` is 1..256 bytes without NUL.
Status ValidateId(std::string_view id);
// Ok, or InvalidArgument if `data` is over 1 MiB. Any bytes, NUL included.
Status ValidateData(std::string_view data);
// Ok, or InvalidArgument unless the secret name is 1..256 bytes without NUL.
Status ValidateSecretName(std::string_view name);
// Ok, or InvalidArgument unless `status` is "active", "retired" or "revoked".
Status ValidateKeyStatus(std::string_view status);
// Ok, or InvalidArgument for an empty kid or a kid over 256 bytes.
Status ValidateKid(std::string_view kid);

}  // namespace gatehouse::storage
