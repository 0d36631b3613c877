#include "rules/spidermonkey/job_queue.h"

namespace gatehouse::rules::sm {

JSObject* JobQueue::getIncumbentGlobal(JSContext* cx) { return JS::CurrentGlobalOrNull(cx); }

bool JobQueue::enqueuePromiseJob(JSContext* cx, JS::HandleObject, JS::HandleObject job,
                                 JS::HandleObject, JS::HandleObject) {
  jobs_.push_back(std::make_unique<JS::PersistentRootedObject>(cx, job));
  return true;
}

bool JobQueue::Drain(JSContext* cx) {
  while (!jobs_.empty()) {
    JS::RootedObject job(cx, *jobs_.front());
    jobs_.pop_front();
    JSAutoRealm realm(cx, job);
    JS::RootedValue ignored(cx);
    if (!JS::Call(cx, JS::UndefinedHandleValue, job, JS::HandleValueArray::empty(), &ignored)) {
      if (!JS_IsExceptionPending(cx)) return false;
      JS_ClearPendingException(cx);
    }
  }
  return true;
}

js::UniquePtr<JS::JobQueue::SavedJobQueue> JobQueue::saveJobQueue(JSContext*) {
  // Only the Debugger API saves queues, and rules never get a debugger.
  return js::MakeUnique<SavedJobQueue>();
}

}  // namespace gatehouse::rules::sm
