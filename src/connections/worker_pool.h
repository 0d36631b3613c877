#pragma once
// A small fixed pool of threads for blocking work (upstream HTTP calls) that
// must not run on an HTTP I/O thread.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gatehouse::connections {

// Thread-safe. The destructor stops taking work, runs what is queued, and
// joins the threads.
class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; it runs on one of the pool's threads. After destruction
  // began, the task runs on the calling thread instead (never dropped: a
  // dropped task would leave its HTTP request unanswered).
  void Post(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace gatehouse::connections
