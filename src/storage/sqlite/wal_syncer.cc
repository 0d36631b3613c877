#include "storage/sqlite/wal_syncer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/logging.h"

namespace gatehouse::storage::sqlite {

Result<std::unique_ptr<WalSyncer>> WalSyncer::Start(ConnectionPool& pool,
                                                    const std::string& db_path,
                                                    std::chrono::milliseconds sweep) {
  std::string wal_path = db_path + "-wal";
  int fd = ::open(wal_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Internal("open " + wal_path + ": " + std::strerror(errno));
  return std::unique_ptr<WalSyncer>(new WalSyncer(pool, fd, std::move(wal_path), sweep));
}

WalSyncer::WalSyncer(ConnectionPool& pool, int fd, std::string wal_path,
                     std::chrono::milliseconds sweep)
    : pool_(pool), fd_(fd), wal_path_(std::move(wal_path)), sweep_(sweep) {
  thread_ = std::thread([this] { Loop(); });
}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
  ::close(fd_);
}

bool WalSyncer::AllSynced() const {
  return pool_.WritesStarted() <= synced_.load(std::memory_order_acquire);
}

void WalSyncer::WhenSynced(std::function<void()> done) {
  {
    std::lock_guard lock(mu_);
    uint64_t target = pool_.WritesStarted();
    if (target > synced_.load(std::memory_order_acquire) && !stop_) {
      waiters_.push_back({target, std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done();
}

uint64_t WalSyncer::SyncOnce() {
  // Every write counted here has finished (the writer mutex was free), so its
  // frames are in the WAL file before the sync starts.
  uint64_t covered = pool_.WritesSettled();
  syncs_.fetch_add(1, std::memory_order_relaxed);
  if (::fdatasync(fd_) != 0) {
    // The frames stay in the OS page cache (kill -9 loses nothing); the next
    // checkpoint syncs them again and SQLite reports its own I/O errors. The
    // waiters are released rather than holding every response forever.
    log::Error("storage_sync_failed", {{"file", wal_path_}, {"error", std::strerror(errno)}});
  }
  return covered;
}

void WalSyncer::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait_for(lock, sweep_, [&] { return stop_ || !waiters_.empty(); });
    bool pending = pool_.WritesStarted() > synced_.load(std::memory_order_acquire);
    if (pending) {
      lock.unlock();
      uint64_t covered = SyncOnce();
      lock.lock();
      if (covered > synced_.load(std::memory_order_relaxed)) {
        synced_.store(covered, std::memory_order_release);
      }
    }
    std::vector<std::function<void()>> ready;
    uint64_t synced = synced_.load(std::memory_order_relaxed);
    while (!waiters_.empty() && waiters_.front().target <= synced) {
      ready.push_back(std::move(waiters_.front().done));
      waiters_.pop_front();
    }
    if (stop_ && !pending) {
      // Nothing was left to sync, so every waiter was just released.
      lock.unlock();
      for (auto& done : ready) done();
      return;
    }
    if (!ready.empty()) {
      lock.unlock();
      for (auto& done : ready) done();
      lock.lock();
    }
  }
}

}  // namespace gatehouse::storage::sqlite
