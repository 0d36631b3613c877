#include "server/rules_engine_factory.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "rules/spidermonkey/spidermonkey_engine.h"

#ifndef GATEHOUSE_SOURCE_NODE_MODULES
#define GATEHOUSE_SOURCE_NODE_MODULES ""
#endif

namespace gatehouse::server {

std::string RulesNodeModulesDir(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  if (std::filesystem::is_directory(GATEHOUSE_SOURCE_NODE_MODULES, ec))
    return GATEHOUSE_SOURCE_NODE_MODULES;
  return "";
}

Result<std::unique_ptr<rules::Engine>> CreateRulesEngine(int threads,
                                                         const std::string& node_modules_dir) {
  rules::EngineOptions options;
  options.threads =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.node_modules_dir = node_modules_dir;
  return rules::CreateSpiderMonkeyEngine(options);
}

}  // namespace gatehouse::server
