#pragma once
// The long-lived domain services of one deployment, opened from a Config.
// Used by App (serve) and by the CLI subcommands that work on the data
// directory directly (clients, users, rules).

#include <map>
#include <memory>
#include <string>

#include "accounts/user_service.h"
#include "config/config.h"
#include "core/status.h"
#include "jose/key_store.h"
#include "oauth/client_registry.h"
#include "storage/storage.h"

namespace gatehouse::server {

struct Services {
  std::unique_ptr<storage::Storage> storage;
  std::unique_ptr<jose::KeyStore> keys;
  std::unique_ptr<accounts::UserService> users;
  std::unique_ptr<oauth::ClientRegistry> clients;
  // Server secrets by name ("cookie_key", "csrf_key"), generated on first start.
  std::map<std::string, std::string> secrets;
};

struct OpenOptions {
  // SQLite group commit (sqlite_storage.h): for `serve`, which holds each
  // response until WhenChangesDurable. Commands that exit after their writes
  // keep the per-commit sync.
  bool group_commit = false;
};

// Opens the database (creating and migrating it), ensures signing keys and
// server secrets exist, and builds the services.
Result<std::unique_ptr<Services>> OpenServices(const config::Config& config,
                                               OpenOptions options = {});

}  // namespace gatehouse::server
