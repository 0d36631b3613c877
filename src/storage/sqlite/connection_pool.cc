#include "storage/sqlite/connection_pool.h"

namespace gatehouse::storage::sqlite {

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn, bool writer)
    : pool_(pool), conn_(std::move(conn)), writer_(writer) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), writer_(other.writer_) {}

ConnectionPool::Lease::~Lease() {
  if (conn_) pool_->Return(std::move(conn_), writer_);
}

ConnectionPool::ConnectionPool(std::string path, std::chrono::milliseconds busy_timeout,
                               int max_connections, bool durable_commits)
    : path_(std::move(path)),
      busy_timeout_(busy_timeout),
      max_connections_(max_connections < 1 ? 1 : max_connections),
      durable_commits_(durable_commits) {}

Result<ConnectionPool::Lease> ConnectionPool::Read() {
  GH_ASSIGN_OR_RETURN(auto conn, Checkout());
  return Lease(this, std::move(conn), false);
}

Result<ConnectionPool::Lease> ConnectionPool::Write() {
  // Mutex first, connection second: readers never wait for the mutex, so a
  // writer waiting for a free connection cannot deadlock with them.
  writer_mu_.lock();
  writes_started_.fetch_add(1, std::memory_order_acq_rel);
  auto conn = Checkout();
  if (!conn.ok()) {
    writer_mu_.unlock();
    return conn.status();
  }
  return Lease(this, std::move(conn).value(), true);
}

uint64_t ConnectionPool::WritesSettled() {
  std::lock_guard lock(writer_mu_);
  return writes_started_.load(std::memory_order_acquire);
}

void ConnectionPool::Donate(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  ++open_;
  idle_.push_back(std::move(conn));
  idle_cv_.notify_one();
}

Result<std::unique_ptr<Connection>> ConnectionPool::Checkout() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  ++open_;  // reserve the slot, open outside the lock
  lock.unlock();
  auto opened = Connection::Open(path_, busy_timeout_, durable_commits_);
  if (!opened.ok()) {
    std::lock_guard relock(mu_);
    --open_;
    idle_cv_.notify_one();
  }
  return opened;
}

void ConnectionPool::Return(std::unique_ptr<Connection> conn, bool writer) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
  }
  idle_cv_.notify_one();
  if (writer) writer_mu_.unlock();
}

}  // namespace gatehouse::storage::sqlite
