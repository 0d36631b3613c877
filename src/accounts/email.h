#pragma once
// Email addresses of database users: normalised the way Auth0 stores them.

#include <string>
#include <string_view>

#include "core/status.h"

namespace gatehouse::accounts {

// `email` trimmed of surrounding whitespace and lowercased (ASCII), or
// InvalidArgument("Invalid email address.") unless it has exactly one '@'
// with text on both sides, a domain without empty labels, no whitespace or
// control characters, and at most 254 bytes. The message is safe to show.
Result<std::string> NormalizeEmail(std::string_view email);

// `s` without leading and trailing ASCII whitespace.
std::string_view TrimSpace(std::string_view s);

}  // namespace gatehouse::accounts
