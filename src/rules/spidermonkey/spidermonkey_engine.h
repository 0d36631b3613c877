#pragma once
// The rules engine on embedded SpiderMonkey 102 (ARCHITECTURE "SpiderMonkey
// 102: facts measured"): a pool of worker threads, each owning one JSContext
// created once, with one JS global per tenant; a watchdog thread that stops
// executions past the pipeline time limit.

#include <memory>

#include "core/status.h"
#include "rules/engine.h"

namespace gatehouse::rules {

// Starts `options.threads` workers and waits until each has its context.
// InvalidArgument for threads < 1 or a heap cap under 8 MiB; Internal when the
// JS engine cannot start. Destroying the engine finishes queued work first,
// then joins the threads; HostCallbacks `done` calls must not outlive it.
Result<std::unique_ptr<Engine>> CreateSpiderMonkeyEngine(const EngineOptions& options);

}  // namespace gatehouse::rules
