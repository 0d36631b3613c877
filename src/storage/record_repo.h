#pragma once
// Storage slice: versioned records with optional expiry, addressed by
// (kind, id). This is the compare-and-set primitive the login state machine,
// authorization codes, /continue states and refresh-token families are built
// on: every state transition is a CompareAndSet against the version that was
// read, so two requests (or two server nodes) can never both move one record.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::storage {

struct Record {
  std::string kind;                   // namespace, e.g. "transaction", "code"; [a-z0-9_]{1,64}
  std::string id;                     // unique within kind; 1..256 bytes, any bytes but NUL
  std::string data;                   // opaque payload (JSON text by convention); up to 1 MiB
  int64_t version = 0;                // 1 on create, +1 on every successful CompareAndSet
  int64_t created_at = 0;             // unix seconds, set by the store on create
  int64_t updated_at = 0;             // unix seconds, set by the store on every write
  std::optional<int64_t> expires_at;  // unix seconds; absent = never expires
};

class RecordRepo {
 public:
  virtual ~RecordRepo() = default;

  // Creates (kind, id) with version 1. AlreadyExists if a live record has that
  // key (an expired one is replaced, and starts again at version 1).
  // InvalidArgument for a bad kind/id/size; every method checks kind and id the
  // same way and writes nothing on InvalidArgument. A record is expired once
  // now >= expires_at.
  // Returns the stored record (with version and timestamps). Atomic.
  virtual Result<Record> Create(const std::string& kind, const std::string& id,
                                const std::string& data, std::optional<int64_t> expires_at) = 0;

  // The live record, or NotFound (also when it exists but has expired: an
  // expired record is never returned, whether or not it was purged yet).
  virtual Result<Record> Get(const std::string& kind, const std::string& id) = 0;

  // Replaces data and expiry iff the stored version equals `expected_version`
  // and the record has not expired; the version becomes expected_version + 1.
  // NotFound if absent or expired, Conflict if the version moved. Of any number
  // of racing callers with the same expected_version exactly one succeeds.
  virtual Result<Record> CompareAndSet(const std::string& kind, const std::string& id,
                                       int64_t expected_version, const std::string& data,
                                       std::optional<int64_t> expires_at) = 0;

  // Deletes iff the stored version equals `expected_version` (consume-once):
  // NotFound if absent or expired, Conflict if the version moved.
  virtual Status DeleteIfVersion(const std::string& kind, const std::string& id,
                                 int64_t expected_version) = 0;

  // Deletes unconditionally; deleting an absent record is not an error.
  virtual Status Delete(const std::string& kind, const std::string& id) = 0;

  // Live records of `kind` with id > `after_id`, in id order (bytewise, as
  // memcmp), at most `limit`; "" as after_id starts from the first. Page by
  // passing the last id returned. InvalidArgument if limit < 1.
  virtual Result<std::vector<Record>> List(const std::string& kind, const std::string& after_id,
                                           int limit) = 0;

  // Physically removes up to `max` records whose expires_at <= now; returns how
  // many (0 when max <= 0). Safe to run concurrently with everything else, and
  // on many nodes.
  virtual Result<int64_t> PurgeExpired(int64_t max) = 0;
};

}  // namespace gatehouse::storage
