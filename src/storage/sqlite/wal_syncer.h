#pragma once
// Internal to the SQLite backend: group commit for a server's connections.
//
// With synchronous=NORMAL a WAL commit reaches the operating system when it
// returns (it survives kill -9) but reaches the disk only at a checkpoint. The
// syncer makes commits power-safe in batches: whoever must not reveal a commit
// before it is on disk (the HTTP layer, before sending a response) asks
// WhenSynced, and one fdatasync() of the WAL file then covers every commit
// made before it began, however many requests wait on it. A login flow made
// eight commits and eight fsyncs; behind the syncer its three responses wait
// for at most three, fewer when requests overlap.
//
// Commits nobody waits for (the tenant log's background batches, purges) are
// synced within `sweep` all the same.
//
// Thread-safe. One background thread; callbacks run on it (or inline).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"
#include "storage/sqlite/connection_pool.h"

namespace gatehouse::storage::sqlite {

class WalSyncer {
 public:
  // Opens `db_path`'s WAL file ("<db_path>-wal"), which must exist: start the
  // syncer after a connection in WAL mode has opened the database, and keep
  // one of the pool's connections open for the syncer's lifetime (SQLite
  // deletes the WAL file when the last connection closes). Internal if the
  // file cannot be opened. `pool` must outlive the syncer.
  static Result<std::unique_ptr<WalSyncer>> Start(ConnectionPool& pool, const std::string& db_path,
                                                  std::chrono::milliseconds sweep);
  // Syncs what is pending, runs every waiting callback, joins the thread.
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // True when every write lease begun so far is on disk.
  bool AllSynced() const;
  // Calls `done` once every write lease begun before this call is on disk:
  // inline when it already is, else on the syncer thread. While the syncer is
  // being destroyed, inline (its destructor makes the final sync).
  void WhenSynced(std::function<void()> done);
  // fdatasync() calls so far (tests and benchmarks).
  uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }

 private:
  WalSyncer(ConnectionPool& pool, int fd, std::string wal_path, std::chrono::milliseconds sweep);
  void Loop();
  // Syncs the WAL and returns the write count it covers.
  uint64_t SyncOnce();

  struct Waiter {
    uint64_t target;
    std::function<void()> done;
  };

  ConnectionPool& pool_;
  const int fd_;
  const std::string wal_path_;
  const std::chrono::milliseconds sweep_;
  std::atomic<uint64_t> synced_{0};
  std::atomic<uint64_t> syncs_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Waiter> waiters_;  // targets ascending (read under mu_, and they only grow)
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gatehouse::storage::sqlite
