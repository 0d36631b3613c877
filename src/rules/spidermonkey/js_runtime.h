#pragma once
// Process-wide SpiderMonkey set-up shared by every worker.

#include <string>

#include "core/status.h"

struct JSContext;

namespace gatehouse::rules::sm {

// Calls JS_Init once per process (the engine forbids a second call) and
// registers JS_ShutDown with atexit: every engine must be destroyed before the
// process exits (a static engine created after this call is). Internal on
// failure. Thread-safe.
Status EnsureJsInit();

// The pending exception of `cx` as "Name: message (line N)", cleared. Empty
// when none is pending (an uncatchable termination, e.g. our interrupt).
std::string TakeException(JSContext* cx);

}  // namespace gatehouse::rules::sm
