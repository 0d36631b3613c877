#pragma once
// Small helpers shared by the subcommands.

#include <string>

namespace gatehouse::cli {

// Prints "gatehouse: <message>" to stderr and returns exit code 1.
int Fail(const std::string& message);

}  // namespace gatehouse::cli
