#include "server/services.h"

#include <filesystem>

#include "core/clock.h"
#include "crypto/secure_random.h"
#include "storage/buffered_storage.h"
#include "storage/postgres/postgres_storage.h"
#include "storage/sqlite/sqlite_storage.h"

namespace gatehouse::server {
namespace {

// Server secrets generated on first start and shared through the database by
// every node. The flow module reads them by these names.
// access_token_key seals the opaque userinfo-only access tokens.
constexpr const char* kSecretNames[] = {"cookie_key", "csrf_key", "access_token_key"};

}  // namespace

Result<std::unique_ptr<Services>> OpenServices(const config::Config& config, OpenOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return InvalidArgument("cannot create data directory " + config.data_dir + ": " + ec.message());

  auto services = std::make_unique<Services>();
  if (const std::string pg_url = config.PostgresUrl(); !pg_url.empty()) {
    // Shared by several nodes: the schema only changes by `gatehouse migrate`,
    // so a node never migrates under the others (docs/deployment.md).
    storage::PostgresOptions pg_options;
    pg_options.pool_size = config.storage_pool_size;
    pg_options.acquire_timeout = std::chrono::milliseconds(config.storage_busy_timeout_ms);
    pg_options.apply_migrations = false;
    GH_ASSIGN_OR_RETURN(services->storage,
                        storage::OpenPostgresStorage(pg_url, Clock::System(), pg_options));
  } else {
    // One machine: pending migrations are applied on open (a newer schema is refused).
    storage::SqliteOptions sqlite_options;
    sqlite_options.busy_timeout = std::chrono::milliseconds(config.storage_busy_timeout_ms);
    sqlite_options.max_connections = config.storage_pool_size;
    sqlite_options.group_commit = options.group_commit;
    GH_ASSIGN_OR_RETURN(
        services->storage,
        storage::OpenSqliteStorage(config.SqlitePath(), Clock::System(), sqlite_options));
  }
  // The tenant log is written behind the requests, in batches.
  services->storage = storage::WithBufferedLogs(std::move(services->storage), Clock::System());

  Random& random = crypto::SecureRandom::Instance();
  for (const char* name : kSecretNames) {
    auto secret = services->storage->secrets().GetOrCreate(name, [&] { return random.Token(32); });
    if (!secret.ok()) return secret.status();
    services->secrets[name] = *secret;
  }

  GH_ASSIGN_OR_RETURN(services->keys,
                      jose::KeyStore::Create(services->storage->signing_keys(), Clock::System()));
  GH_RETURN_IF_ERROR(services->keys->EnsureKeys());

  accounts::UserServiceOptions user_options;
  user_options.argon2_memory_kib = static_cast<uint32_t>(config.argon2_memory_kib);
  user_options.argon2_iterations = static_cast<uint32_t>(config.argon2_iterations);
  services->users =
      accounts::UserService::Create(*services->storage, Clock::System(), random, user_options);
  services->clients = oauth::ClientRegistry::Create(*services->storage, random);
  return services;
}

}  // namespace gatehouse::server
