#pragma once
// A fixed pool of threads for blocking CPU work that must not run on the HTTP
// I/O threads: password hash verification (argon2id at OWASP cost takes tens
// of milliseconds; on an I/O thread it would stall every other connection
// that thread serves). Sized to the cores, so hashing uses all of them while
// discovery, tokens and pages keep flowing on the I/O threads.

#include <functional>
#include <memory>

namespace gatehouse::flow {

class WorkerPool {
 public:
  // Starts `threads` workers (at least 1).
  static std::unique_ptr<WorkerPool> Create(int threads);
  virtual ~WorkerPool() = default;

  // Runs `task` on a worker, in submission order across the pool. Returns
  // false (and drops `task`) once Shutdown has begun. Thread-safe.
  virtual bool Post(std::function<void()> task) = 0;
  // Runs the tasks already posted, then joins the workers. Idempotent; the
  // destructor calls it. Must not be called from a worker.
  virtual void Shutdown() = 0;
};

}  // namespace gatehouse::flow
