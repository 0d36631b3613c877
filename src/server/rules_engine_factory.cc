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

Result<std::unique_ptr<rules::Engine>> CreateRulesEngine(const RulesEngineSettings& settings) {
  rules::EngineOptions options;
  options.threads = settings.threads > 0
                        ? settings.threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.pipeline_timeout = std::chrono::milliseconds(settings.timeout_ms);
  options.heap_cap_bytes = static_cast<size_t>(settings.heap_mb) << 20;
  options.node_modules_dir = settings.node_modules_dir;
  return rules::CreateSpiderMonkeyEngine(options);
}

}  // namespace gatehouse::server
