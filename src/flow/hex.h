#pragma once
// Internal to flow: hex SHA-256, the form in which browser secrets (cookies)
// are stored, so a database leak does not hand out live cookies.

#include <string>
#include <string_view>

namespace gatehouse::flow {

// Lowercase hex of SHA-256(`secret`).
std::string Sha256Hex(std::string_view secret);

}  // namespace gatehouse::flow
