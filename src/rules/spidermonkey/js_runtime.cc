#include "rules/spidermonkey/js_runtime.h"

#include <js/ErrorReport.h>
#include <js/Exception.h>
#include <js/Initialization.h>
#include <jsapi.h>

#include <cstdlib>
#include <mutex>

namespace gatehouse::rules::sm {

Status EnsureJsInit() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    ok = JS_Init();
    // Stops the engine's helper threads before the library's static mutexes
    // are destroyed at exit (else exit aborts with "pthread_mutex_destroy").
    if (ok) std::atexit([] { JS_ShutDown(); });
  });
  return ok ? Status::Ok() : Internal("JS_Init failed");
}

std::string TakeException(JSContext* cx) {
  if (!JS_IsExceptionPending(cx)) return "";
  JS::ExceptionStack stack(cx);
  if (!JS::StealPendingExceptionStack(cx, &stack)) {
    JS_ClearPendingException(cx);
    return "unknown error";
  }
  JS::ErrorReportBuilder report(cx);
  if (!report.init(cx, stack, JS::ErrorReportBuilder::NoSideEffects)) {
    JS_ClearPendingException(cx);
    return "unknown error";
  }
  std::string text = report.toStringResult() ? report.toStringResult().c_str() : "unknown error";
  if (report.report() && report.report()->lineno > 0) {
    text += " (line " + std::to_string(report.report()->lineno) + ")";
  }
  JS_ClearPendingException(cx);
  return text;
}

}  // namespace gatehouse::rules::sm
