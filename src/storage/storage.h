#pragma once
// The storage interface every module uses. Domain code depends on this header
// and the slice headers it names, never on a backend; backends live in
// storage/sqlite/ (and storage/postgres/), and only src/server names them.
//
// Contract shared by every slice:
// - All methods are thread-safe; one Storage is shared by the whole process.
// - Each method is one atomic unit: it fully happens or not at all, and once it
//   returned success the change survives a crash (kill -9) of the process.
//   The one exception: a tenant log behind WithBufferedLogs (buffered_storage.h)
//   stores events up to a fraction of a second after Append returned.
// - Power loss and OS crashes are a separate promise, kept per commit or in
//   groups: see ChangesDurable() below.
// - Errors: NotFound, AlreadyExists, Conflict (lost compare-and-set),
//   InvalidArgument (caller bug / bad input), Unavailable (transient: busy or
//   lost database; the caller may retry), Internal (anything else).
// - Time (created_at, expiry checks) comes from the Clock given to the backend.

#include <functional>
#include <memory>

#include "storage/log_repo.h"
#include "storage/record_repo.h"
#include "storage/rule_repo.h"
#include "storage/secret_repo.h"
#include "storage/signing_key_repo.h"
#include "storage/user_repo.h"

namespace gatehouse::storage {

class Storage {
 public:
  virtual ~Storage() = default;

  virtual SigningKeyRepo& signing_keys() = 0;
  virtual SecretRepo& secrets() = 0;
  virtual RecordRepo& records() = 0;
  virtual UserRepo& users() = 0;
  virtual RuleRepo& rules() = 0;
  virtual LogRepo& logs() = 0;

  // The schema version of the open database (after migrations ran).
  virtual int SchemaVersion() = 0;
  // The newest schema version this build knows.
  virtual int LatestSchemaVersion() const = 0;
  // Group commit. A backend may let commits reach the operating system before
  // the disk (they survive kill -9 at once) and make them survive power loss
  // in batches. True when every change any method returned success for is on
  // disk. Backends that sync every commit (the default) always say true.
  virtual bool ChangesDurable() { return true; }
  // Calls `done` once every change that any method returned success for
  // before this call is on disk: at once (on this thread) when it already is,
  // else later, from a storage thread. `done` must not block. Callers reveal nothing about those
  // changes (send no response) before `done` runs, which keeps "a user was told it succeeded" as
  // strong as a sync per commit while several commits share one sync.
  virtual void WhenChangesDurable(std::function<void()> done) { done(); }

  // Human-readable backend description for logs, e.g. "sqlite:/var/lib/gh/gatehouse.db".
  virtual std::string Describe() const = 0;
};

}  // namespace gatehouse::storage
