#pragma once
// One background thread running jobs in order: where the example sites do
// their blocking outbound HTTP calls, never on an HTTP I/O thread.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace gatehouse::examples {

// Thread-safe. The destructor runs the jobs already queued, then joins.
class WorkQueue {
 public:
  WorkQueue();
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `job`; it runs on the queue's thread after the ones before it.
  void Post(std::function<void()> job);

 private:
  void Run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gatehouse::examples
