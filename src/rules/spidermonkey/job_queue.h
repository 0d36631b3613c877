#pragma once
// The Promise job queue of one worker's context. Ours rather than the
// engine's internal one so that the jobs of an execution that was stopped
// (timeout, memory) are dropped instead of running in the next login.

#include <js/Promise.h>
#include <jsapi.h>

#include <deque>
#include <memory>

namespace gatehouse::rules::sm {

class JobQueue final : public JS::JobQueue {
 public:
  JSObject* getIncumbentGlobal(JSContext* cx) override;
  bool enqueuePromiseJob(JSContext* cx, JS::HandleObject promise, JS::HandleObject job,
                         JS::HandleObject allocation_site,
                         JS::HandleObject incumbent_global) override;
  void runJobs(JSContext* cx) override { Drain(cx); }
  bool empty() const override { return jobs_.empty(); }

  // Runs jobs (and the jobs they enqueue) until none are left. A job that
  // throws has its exception cleared (Promise jobs report through their
  // promise). Returns false, leaving the rest queued, when a job was
  // terminated uncatchably (the interrupt callback said stop).
  bool Drain(JSContext* cx);
  // Drops every queued job. Call between executions.
  void Clear() { jobs_.clear(); }

 private:
  js::UniquePtr<SavedJobQueue> saveJobQueue(JSContext* cx) override;
  std::deque<std::unique_ptr<JS::PersistentRootedObject>> jobs_;
};

}  // namespace gatehouse::rules::sm
