#pragma once
// The SQLite storage backend: one database file, for a single machine.
//
// Durability: WAL journal. By default synchronous=FULL: every returned success
// is fsynced and survives kill -9 and power loss. With group_commit (the
// server): synchronous=NORMAL, so a returned success survives kill -9, and a
// background syncer fsyncs the WAL once for every group of commits that
// WhenChangesDurable() waits on (storage.h). Concurrency: a bounded pool of
// connections (readers run in parallel; writers of this process queue on a
// mutex, other processes on SQLite's busy timeout). Secrets and private keys
// are stored in clear: protect the file (encryption at rest is out of scope).

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "storage/storage.h"

namespace gatehouse::storage {

struct SqliteOptions {
  // How long a statement waits for another process's lock before the call
  // fails with Unavailable.
  std::chrono::milliseconds busy_timeout{5000};
  // Upper bound on open connections (and so on concurrent readers).
  int max_connections = 8;
  // Group commit (see above). For a process that answers requests and holds
  // each answer until WhenChangesDurable; short-lived commands keep the
  // per-commit sync.
  bool group_commit = false;
  // With group_commit: commits nobody waits for are synced within this time.
  std::chrono::milliseconds sync_sweep{1000};
};

// Opens (creating if absent) the database at `path` and applies pending
// migrations. InvalidArgument if the file's schema is newer than this build
// knows; Unavailable if the file stays locked past busy_timeout; Internal for
// an unreadable or corrupt file. `clock` must outlive the returned storage,
// which is thread-safe.
Result<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& path, Clock& clock,
                                                   SqliteOptions options = {});

}  // namespace gatehouse::storage
