#pragma once
// The password policy of the database connection (SPEC §1).

#include <string_view>

#include "core/status.h"

namespace gatehouse::accounts {

struct PasswordPolicy {
  int min_length = 8;    // in characters (UTF-8 code points)
  int max_length = 256;  // in bytes: checked before any hashing, so a huge input costs nothing
};

// Ok, or InvalidArgument with a message safe to show the user: too short, too
// long, or equal to the user's email (compared case-insensitively; `email`
// may be empty). Thread-safe.
Status CheckPassword(const PasswordPolicy& policy, std::string_view password,
                     std::string_view email);

}  // namespace gatehouse::accounts
