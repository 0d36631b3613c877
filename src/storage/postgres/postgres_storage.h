#pragma once
// The PostgreSQL storage backend: one database shared by any number of
// Gatehouse nodes behind a load balancer.
//
// Durability: every returned success is a committed transaction (the server's
// synchronous_commit/fsync settings apply; keep them on). Concurrency: a
// bounded pool of connections per process, each with its statements prepared
// once; compare-and-set is one UPDATE ... WHERE version = $n, so racing nodes
// are serialised by the row lock. Transient failures: see
// postgres/pg_connection_pool.h (retried where safe, else Unavailable).

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "storage/storage.h"

namespace gatehouse::storage {

struct PostgresOptions {
  // Upper bound on open connections of this process.
  int pool_size = 8;
  // How long a call waits for a free connection before Unavailable.
  std::chrono::milliseconds acquire_timeout{5000};
  // How long opening one connection may take before Unavailable.
  std::chrono::seconds connect_timeout{3};
  // Schema to use (search_path) instead of the server default; "" = default.
  // The schema must exist. Tests use one schema per test.
  std::string schema;
  // application_name of the connections (pg_stat_activity), e.g. the node name.
  std::string application_name = "gatehouse";
  // true: apply pending migrations (under an advisory lock). false: refuse to
  // open (InvalidArgument) unless the schema is exactly current, so a node
  // never changes the schema under others; `gatehouse migrate` applies.
  bool apply_migrations = false;
};

// Connects to `url` (postgresql://user[:password]@host[:port]/db[?...], or
// any libpq conninfo). InvalidArgument if the schema is newer than this build
// knows, or older while apply_migrations is false; Unavailable if the server
// cannot be reached; Internal otherwise. `clock` must outlive the storage,
// which is thread-safe.
Result<std::unique_ptr<Storage>> OpenPostgresStorage(const std::string& url, Clock& clock,
                                                     PostgresOptions options = {});

// Applies pending migrations to the database at `url` and returns the
// versions {before, after}. Safe to run while nodes serve and from several
// places at once.
Result<std::pair<int, int>> MigratePostgres(const std::string& url, PostgresOptions options = {});

}  // namespace gatehouse::storage
