#pragma once
// The rules engine on embedded SpiderMonkey 102 (ARCHITECTURE "SpiderMonkey
// 102: facts measured"): a pool of worker threads, each owning one JSContext
// created by its first task (not at start: idle memory), with one JS global
// per tenant; a watchdog thread that stops
// executions past the pipeline time limit.

#include <memory>

#include "core/status.h"
#include "rules/engine.h"

namespace gatehouse::rules {

// Starts `options.threads` workers. InvalidArgument for threads < 1 or a heap
// cap under 8 MiB. A worker whose JS context cannot be created answers its
// tasks with server_error outcomes (Compile: Internal), and says why in debug. Destroying the
// engine finishes queued work first, then joins the threads; HostCallbacks `done` calls must not
// outlive it.
Result<std::unique_ptr<Engine>> CreateSpiderMonkeyEngine(const EngineOptions& options);

}  // namespace gatehouse::rules
