#pragma once
// Internal to the PostgreSQL backend: a bounded pool of connections and the
// retry policy. A thread leases one connection for one repository call.
//
// Retry policy (Run): a serialization failure or deadlock rolled the whole
// statement/transaction back, so it is redone (up to 3 attempts). A lost
// connection is redone only for idempotent calls (reads, and writes whose
// repetition cannot change the outcome); otherwise the caller gets
// Unavailable, because the write may or may not have committed. When one
// connection is found dead, every idle one is dropped too (a server restart
// kills them all), so the next call connects afresh. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/status.h"
#include "storage/postgres/pg_connection.h"

namespace gatehouse::storage::postgres {

enum class Idempotent { kNo, kYes };

class PgConnectionPool {
 public:
  class Lease {
   public:
    Lease(PgConnectionPool* pool, std::unique_ptr<PgConnection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->Return(std::move(conn_));
    }
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    PgConnectionPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // At most `max_connections` open at once; a caller waits up to
  // `acquire_timeout` for one to come free, then gets Unavailable.
  PgConnectionPool(PgConnectOptions options, int max_connections,
                   std::chrono::milliseconds acquire_timeout);

  // A healthy connection (idle or newly opened). Unavailable when none can be
  // opened or none comes free in time.
  Result<Lease> Acquire();

  // Runs `body` on a leased connection under the retry policy above.
  template <typename T>
  Result<T> Run(Idempotent idempotent, const std::function<Result<T>(PgConnection&)>& body) {
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
      PgFailure failure = PgFailure::kOther;
      Status status;
      {
        auto lease = Acquire();
        if (!lease.ok()) {
          status = lease.status();
          failure = PgFailure::kConnection;  // nothing was sent
          if (attempt >= kAttempts || status.code() != ErrorCode::kUnavailable) return status;
        } else {
          Result<T> r = body(**lease);
          if (r.ok()) return r;
          status = r.status();
          failure = (*lease)->last_failure();
          const bool retry = failure == PgFailure::kSerialization ||
                             (failure == PgFailure::kConnection && idempotent == Idempotent::kYes);
          if (!retry || attempt >= kAttempts) return status;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
    }
  }

  // Connections currently open (idle or leased): for tests and diagnostics.
  int open_connections();

 private:
  void Return(std::unique_ptr<PgConnection> conn);

  const PgConnectOptions options_;
  const int max_connections_;
  const std::chrono::milliseconds acquire_timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;
};

}  // namespace gatehouse::storage::postgres
