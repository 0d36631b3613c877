#pragma once
// The Management API (SPEC §5), Auth0-compatible: /api/v2/users,
// /users-by-email, /rules, /rules-configs, /clients, /logs. Every route needs
// a Bearer access token issued by our /oauth/token (client_credentials) for
// the audience <issuer>api/v2/ with the route's scope: 401 without a valid
// token, 403 without the scope, errors in Auth0's shape (api_error.h).
// API operations are recorded as tenant log events ("sapi"/"fapi").

#include <cstddef>
#include <cstdint>

#include "accounts/user_service.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/router.h"
#include "jose/key_store.h"
#include "oauth/client_registry.h"
#include "rules/engine.h"
#include "storage/storage.h"

namespace gatehouse::mgmt {

struct MgmtOptions {
  // Larger JSON bodies are refused with 413 in Auth0's shape.
  size_t max_body_bytes = 64 * 1024;
};

struct MgmtDeps {
  storage::Storage& storage;
  jose::KeyStore& keys;
  accounts::UserService& users;
  oauth::ClientRegistry& clients;
  rules::Engine& engine;  // compile checks of rule scripts
  Clock& clock;
  Random& random;
  MgmtOptions options = {};
};

// Adds the routes. Every dependency must outlive the router.
void RegisterMgmtRoutes(http::Router& router, MgmtDeps deps);

// Retention: deletes up to `max` tenant log events older than
// `retention_days` (at `clock`'s time); returns how many. The server's
// background purge loop calls it. retention_days <= 0 keeps everything.
Result<int64_t> PurgeOldLogs(storage::LogRepo& logs, const Clock& clock, int retention_days,
                             int64_t max);

}  // namespace gatehouse::mgmt
