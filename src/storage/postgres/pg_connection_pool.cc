#include "storage/postgres/pg_connection_pool.h"

namespace gatehouse::storage::postgres {

PgConnectionPool::PgConnectionPool(PgConnectOptions options, int max_connections,
                                   std::chrono::milliseconds acquire_timeout)
    : options_(std::move(options)),
      max_connections_(max_connections < 1 ? 1 : max_connections),
      acquire_timeout_(acquire_timeout) {}

Result<PgConnectionPool::Lease> PgConnectionPool::Acquire() {
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock lock(mu_);
    const bool got = cv_.wait_for(lock, acquire_timeout_,
                                  [&] { return !idle_.empty() || open_ < max_connections_; });
    if (!got) return Unavailable("postgresql: no free connection in the pool");
    while (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
      conn->Probe();
      if (conn->healthy()) break;
      // The server went away under the idle connections: drop them all.
      conn.reset();
      open_ -= static_cast<int>(idle_.size()) + 1;
      idle_.clear();
    }
    if (conn) return Lease(this, std::move(conn));
    ++open_;  // reserve the slot; connect outside the lock
  }
  auto opened = PgConnection::Open(options_);
  if (!opened.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    cv_.notify_one();
    return opened.status();
  }
  return Lease(this, std::move(opened).value());
}

void PgConnectionPool::Return(std::unique_ptr<PgConnection> conn) {
  std::lock_guard lock(mu_);
  if (conn->healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    // A dead connection usually means a restarted server: the idle ones are
    // dead too, and finding that out one request at a time costs a 503 each.
    open_ -= static_cast<int>(idle_.size()) + 1;
    idle_.clear();
  }
  cv_.notify_all();
}

int PgConnectionPool::open_connections() {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace gatehouse::storage::postgres
