#pragma once
// The rules of examples/rules/, compiled in (for `gatehouse demo`).

#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::examples {

// (rule name = file name without ".js", script), in file-name order.
const std::vector<std::pair<std::string_view, std::string_view>>& ExampleRules();

}  // namespace gatehouse::examples
