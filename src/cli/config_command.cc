// `gatehouse config --keys` and `gatehouse config --data-dir DIR`: the key
// reference, or a check of one data directory's effective configuration.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"

namespace gatehouse::cli {
namespace {

struct ConfigOptions {
  bool keys = false;
  std::string data_dir;
};

int RunConfig(const ConfigOptions& opt) {
  if (opt.keys || opt.data_dir.empty()) {
    std::printf("%-26s %-36s %-24s %s\n", "key", "environment", "default", "meaning");
    for (const auto& line : config::DescribeKeys()) {
      std::vector<std::string> cols;
      size_t start = 0, tab;
      while ((tab = line.find('\t', start)) != std::string::npos) {
        cols.push_back(line.substr(start, tab - start));
        start = tab + 1;
      }
      cols.push_back(line.substr(start));
      std::printf("%-26s %-36s %-24s %s\n", cols[0].c_str(), cols[1].c_str(), cols[2].c_str(),
                  cols[3].c_str());
    }
    return 0;
  }
  auto cfg = config::Load(std::filesystem::absolute(opt.data_dir).lexically_normal().string(),
                          config::ProcessEnvironment());
  if (!cfg.ok()) return Fail(cfg.status().message());
  for (const auto& w : cfg->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  nlohmann::json out = {{"listen", cfg->listen},
                        {"domain", cfg->domain},
                        {"custom_domains", cfg->custom_domains},
                        {"tls", cfg->Tls()},
                        {"storage", cfg->storage_url},
                        {"database", cfg->SqlitePath()},
                        {"log_level", cfg->log_level}};
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

}  // namespace

void RegisterConfig(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ConfigOptions>();
  auto* cmd = app.add_subcommand(
      "config", "List every configuration key, or check a data directory's configuration");
  cmd->add_flag("--keys", opt->keys, "list keys, environment variables and defaults");
  cmd->add_option("--data-dir", opt->data_dir, "validate DIR/gatehouse.toml plus the environment");
  cmd->callback([opt, exit_code] { *exit_code = RunConfig(*opt); });
}

}  // namespace gatehouse::cli
