#pragma once
// Tenant log events written behind the request: Append queues the event and
// returns at once; a writer thread stores what has queued every `interval`
// (or as soon as `batch` events wait) in one transaction. A login used to
// commit (and fsync) its "s", "gh_rules" and "seacft" events one by one, a
// quarter of its durable writes (docs/performance.md).
//
// What this trades: an event is in the database up to `interval` after the
// request that caused it, and a crash (kill -9) loses the events of that last
// interval. Logins, codes, tokens and users are never buffered; only this
// audit trail is. Reads through this repository (Get, Query, PurgeOlderThan)
// store what is queued first, so a node reads its own events at once; other
// nodes see them within `interval`.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "storage/log_ids.h"
#include "storage/log_repo.h"

namespace gatehouse::storage {

struct BufferedLogOptions {
  std::chrono::milliseconds interval{200};
  size_t batch = 256;        // wake the writer early at this many queued events
  size_t max_queued = 8192;  // past this, Append stores synchronously (back-pressure)
};

class BufferedLogRepo final : public LogRepo {
 public:
  // `inner` must outlive this. Starts the writer thread.
  BufferedLogRepo(LogRepo& inner, Clock& clock, BufferedLogOptions options = {});
  // Stores whatever is still queued, then stops the writer.
  ~BufferedLogRepo() override;

  // Validates and dates the event, gives it its id, queues it. Thread-safe.
  Result<LogEvent> Append(LogEvent event) override;
  Status AppendBatch(std::vector<LogEvent> events) override;
  Result<LogEvent> Get(const std::string& log_id) override;
  Result<LogPage> Query(const LogQuery& query) override;
  Result<int64_t> PurgeOlderThan(int64_t before_ms, int64_t max) override;

  // Stores every event queued so far before returning. Errors are the
  // backend's (those events are then dropped, and said so in the process log).
  Status Flush();

 private:
  void WriterMain();

  LogRepo& inner_;
  Clock& clock_;
  const BufferedLogOptions options_;
  LogIds ids_;

  std::mutex mu_;  // guards queue_ and stopping_
  std::condition_variable wake_;
  std::vector<LogEvent> queue_;
  bool stopping_ = false;
  // Held while a batch is being stored, so Flush() returns only once every
  // event queued before it is in the database (and batches keep their order).
  std::mutex write_mu_;
  std::thread writer_;
};

}  // namespace gatehouse::storage
