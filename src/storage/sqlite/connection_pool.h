#pragma once
// Internal to the SQLite backend: a bounded pool of connections to one file.
// A thread checks a connection out for the duration of one repository call
// (so cached statements are never shared between threads) and the lease
// returns it. Writers additionally serialise on a process-local mutex: SQLite
// allows one writer per file anyway, and waiting on a mutex hands over at once
// where SQLite's busy handler sleeps and polls. The busy timeout then only
// matters against other processes. Thread-safe.

#include <chrono>
#include <condition_variable>
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

  ConnectionPool(std::string path, std::chrono::milliseconds busy_timeout, int max_connections);

  // A connection for reads; blocks while all `max_connections` are leased.
  // Errors come from opening a new connection.
  Result<Lease> Read();
  // A connection for writes, holding the process-wide writer mutex until the
  // lease ends. Never call while this thread holds another lease.
  Result<Lease> Write();

  // Adds an already open connection to the idle set (the one migrations ran on).
  void Donate(std::unique_ptr<Connection> conn);

 private:
  Result<std::unique_ptr<Connection>> Checkout();
  void Return(std::unique_ptr<Connection> conn, bool writer);

  const std::string path_;
  const std::chrono::milliseconds busy_timeout_;
  const int max_connections_;
  std::mutex mu_;
  std::condition_variable idle_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  std::mutex writer_mu_;
};

}  // namespace gatehouse::storage::sqlite
