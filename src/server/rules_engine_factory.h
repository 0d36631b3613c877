#pragma once
// The one place that names the concrete rules engine (SpiderMonkey).

#include <memory>
#include <string>

#include "core/status.h"
#include "rules/engine.h"

namespace gatehouse::server {

// The npm packages rules may require(): `configured` when non-empty, else
// the node_modules folder of the source tree this binary was built from.
std::string RulesNodeModulesDir(const std::string& configured);

// A rules engine with `threads` workers (0 = number of cores). Every engine
// must be destroyed before the process exits.
Result<std::unique_ptr<rules::Engine>> CreateRulesEngine(int threads,
                                                         const std::string& node_modules_dir);

}  // namespace gatehouse::server
