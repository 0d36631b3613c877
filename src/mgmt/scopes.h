#pragma once
// The Management API scopes (SPEC §5) a client_credentials token may carry.

#include <string>
#include <vector>

namespace gatehouse::mgmt {

// Every scope of SPEC §5, e.g. "read:users", in a fixed order. The admin
// client made by `gatehouse init` gets all of them.
const std::vector<std::string>& AllScopes();

}  // namespace gatehouse::mgmt
