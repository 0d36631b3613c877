// `gatehouse migrate --data-dir DIR`: applies pending schema migrations to the
// configured database (storage.url) and reports the versions. On PostgreSQL
// this is the only way the schema changes (nodes refuse to serve an older or
// newer schema); SQLite also migrates itself when opened.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "core/clock.h"
#include "storage/postgres/postgres_storage.h"
#include "storage/sqlite/sqlite_storage.h"

namespace gatehouse::cli {
namespace {

struct MigrateOptions {
  std::string data_dir;
};

int RunMigrate(const MigrateOptions& opt) {
  std::string data_dir = opt.data_dir;
  if (data_dir.empty()) {
    const char* env = std::getenv("GATEHOUSE_DATA_DIR");
    if (env) data_dir = env;
  }
  if (data_dir.empty()) {
    std::fprintf(stderr, "gatehouse: migrate needs --data-dir DIR or GATEHOUSE_DATA_DIR\n");
    return 2;
  }
  auto cfg = config::Load(std::filesystem::absolute(data_dir).lexically_normal().string(),
                          config::ProcessEnvironment());
  if (!cfg.ok()) return Fail(cfg.status().message());
  for (const auto& w : cfg->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());

  if (const std::string url = cfg->PostgresUrl(); !url.empty()) {
    storage::PostgresOptions options;
    options.pool_size = 1;
    auto versions = storage::MigratePostgres(url, options);
    if (!versions.ok()) return Fail("migrate: " + versions.status().ToString());
    std::printf("schema version %d -> %d (postgresql)\n", versions->first, versions->second);
    return 0;
  }
  std::error_code ec;
  std::filesystem::create_directories(cfg->data_dir, ec);
  storage::SqliteOptions options;
  options.busy_timeout = std::chrono::milliseconds(cfg->storage_busy_timeout_ms);
  options.max_connections = 1;
  auto storage = storage::OpenSqliteStorage(cfg->SqlitePath(), Clock::System(), options);
  if (!storage.ok()) return Fail("migrate: " + storage.status().ToString());
  std::printf("schema version %d (sqlite: %s)\n", (*storage)->SchemaVersion(),
              cfg->SqlitePath().c_str());
  return 0;
}

}  // namespace

void RegisterMigrate(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<MigrateOptions>();
  auto* cmd = app.add_subcommand(
      "migrate", "Apply pending database schema migrations (required before serving PostgreSQL)");
  cmd->add_option("--data-dir", opt->data_dir,
                  "data directory (its gatehouse.toml and environment)");
  cmd->callback([opt, exit_code] { *exit_code = RunMigrate(*opt); });
}

}  // namespace gatehouse::cli
