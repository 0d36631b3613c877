// `gatehouse serve --data-dir DIR [--listen ADDR:PORT]`

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/signals.h"
#include "config/config.h"
#include "core/logging.h"
#include "server/app.h"

namespace gatehouse::cli {
namespace {

struct ServeOptions {
  std::string data_dir;
  std::string listen;
};

int RunServe(const ServeOptions& opt) {
  std::string data_dir = opt.data_dir;
  if (data_dir.empty()) {
    const char* env = std::getenv("GATEHOUSE_DATA_DIR");
    if (env) data_dir = env;
  }
  if (data_dir.empty()) {
    std::fprintf(stderr, "gatehouse: serve needs --data-dir DIR or GATEHOUSE_DATA_DIR\n");
    return 2;
  }
  config::Environment env = config::ProcessEnvironment();
  if (!opt.listen.empty()) env["GATEHOUSE_LISTEN"] = opt.listen;  // the flag beats the environment
  auto cfg = config::Load(std::filesystem::absolute(data_dir).lexically_normal().string(), env);
  if (!cfg.ok()) return Fail(cfg.status().message());

  log::Init(cfg->log_level);
  for (const auto& w : cfg->warnings) log::Warn("config_warning", {{"detail", w}});
  // Signals are routed to the waiting thread before any other thread exists.
  BlockTerminationSignals();
  auto app = server::App::Create(*cfg);
  if (!app.ok()) {
    log::Error("startup_failed", {{"error", app.status().ToString()}});
    return 1;
  }
  if (Status s = (*app)->Start(); !s.ok()) {
    log::Error("startup_failed", {{"error", s.ToString()}});
    return 1;
  }
  int sig = WaitForTerminationSignal();
  log::Info("shutting_down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*app)->Shutdown();
  log::Info("stopped");
  return 0;
}

}  // namespace

void RegisterServe(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Run the server (logs JSON lines to stderr)");
  cmd->add_option("--data-dir", opt->data_dir,
                  "data directory from `gatehouse init` (env: GATEHOUSE_DATA_DIR); created with "
                  "defaults when absent");
  cmd->add_option("--listen", opt->listen, "ADDR:PORT to bind (env: GATEHOUSE_LISTEN)");
  cmd->callback([opt, exit_code] { *exit_code = RunServe(*opt); });
}

}  // namespace gatehouse::cli
