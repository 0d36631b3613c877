#pragma once
// Internal to the SQLite backend: a bounded pool of connections to one file.
// A thread checks a connection out for the duration of one repository call
// (so cached statements are never shared between threads) and the lease
// returns it. Writers additionally serialise on a process-local mutex: SQLite
// allows one writer per file anyway, and waiting on a mutex hands over at once
// where SQLite's busy handler sleeps and polls. The busy timeout then only
// matters against other processes. Thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/sqlite/connection.h"

namespace gatehouse::storage::sqlite {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn, bool writer);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
    bool writer_;
  };

  // `durable_commits`: see Connection::Open.
  ConnectionPool(std::string path, std::chrono::milliseconds busy_timeout, int max_connections,
                 bool durable_commits = true);

  // A connection for reads; blocks while all `max_connections` are leased.
  // Errors come from opening a new connection.
  Result<Lease> Read();
  // A connection for writes, holding the process-wide writer mutex until the
  // lease ends. Never call while this thread holds another lease.
  Result<Lease> Write();

  // How many write leases have begun so far. Counted before the lease can
  // write, so a reader that saw some commit sees a count covering it.
  uint64_t WritesStarted() const { return writes_started_.load(std::memory_order_acquire); }
  // WritesStarted() at a moment when no write lease is active (waits for the
  // writer mutex): every write it counts has finished, committed or not.
  uint64_t WritesSettled();

  // Adds an already open connection to the idle set (the one migrations ran on).
  void Donate(std::unique_ptr<Connection> conn);

 private:
  Result<std::unique_ptr<Connection>> Checkout();
  void Return(std::unique_ptr<Connection> conn, bool writer);

  const std::string path_;
  const std::chrono::milliseconds busy_timeout_;
  const int max_connections_;
  const bool durable_commits_;
  std::mutex mu_;
  std::condition_variable idle_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  std::mutex writer_mu_;
  std::atomic<uint64_t> writes_started_{0};
};

}  // namespace gatehouse::storage::sqlite
