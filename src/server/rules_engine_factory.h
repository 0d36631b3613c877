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

struct RulesEngineSettings {
  int threads = 0;         // 0 = number of cores
  int timeout_ms = 20000;  // whole pipeline of one login
  int heap_mb = 64;        // JS heap cap per worker context
  std::string node_modules_dir;
};

// A rules engine with the given settings. Every engine must be destroyed
// before the process exits.
Result<std::unique_ptr<rules::Engine>> CreateRulesEngine(const RulesEngineSettings& settings);

}  // namespace gatehouse::server
