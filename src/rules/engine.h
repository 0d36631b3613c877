#pragma once
// The rules engine interface (SPEC §4). It decides; the host (flow) acts: it
// never touches HTTP or storage, and reaches the outside only through
// HostCallbacks. The SpiderMonkey implementation is created by
// rules/spidermonkey/spidermonkey_engine.h.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "rules/action.h"
#include "rules/execution.h"
#include "rules/host_callbacks.h"
#include "rules/rule.h"

namespace gatehouse::rules {

struct EngineOptions {
  int threads = 2;                                     // rules workers, each owning one JS context
  std::chrono::milliseconds pipeline_timeout{20'000};  // whole pipeline of one login
  size_t heap_cap_bytes = 64u << 20;                   // JS heap per worker context
  // ArrayBuffer/typed-array bytes one execution may allocate in total (the
  // heap cap does not see them).
  size_t array_buffer_cap_bytes = 32u << 20;
  // Folder holding the npm packages rules may require (lodash, moment);
  // empty: only the built-in modules.
  std::string node_modules_dir;
  // Create every worker's JS context at start instead of on its first task
  // (about 3 MiB and 15-20 ms each). For tests that time executions against
  // each other; a server saves the memory until rules actually run.
  bool eager_contexts = false;
};

class Engine {
 public:
  virtual ~Engine() = default;

  // Compiles `rule.script` once and keeps it for later runs. Ok when it is a
  // single function expression; InvalidArgument with the JS error and its line
  // ("SyntaxError: missing ) ... (line 3)") otherwise. Thread-safe; blocks the
  // caller until a worker has compiled it.
  virtual Status Compile(const Rule& rule) = 0;

  // Runs the enabled `rules` in order (sorted by `order`, stable) on a worker
  // and calls `done` exactly once on that worker thread with the outcome. A
  // failing, slow or runaway rule yields an Outcome (kError/kDeny), never a
  // crash, and the worker stays usable. `host` must outlive the call of `done`.
  // Thread-safe.
  virtual void Run(std::vector<Rule> rules, ExecutionInput input, HostCallbacks& host,
                   std::function<void(Outcome)> done) = 0;

  // Run() and wait for the outcome. Must not be called from a rules worker.
  Outcome RunSync(std::vector<Rule> rules, ExecutionInput input, HostCallbacks& host);

  // Runs `actions` from input.start in order (the first one's
  // onContinuePostLogin when input.resume, else each one's onExecutePostLogin)
  // until one redirects, denies or fails, and calls `done` exactly once on a
  // worker thread. Metadata changes are only collected (outcome.collected),
  // never written: `host` is not called by the actions API today. Same
  // time limit and caps as Run(). The default answers kError (engines without
  // actions). Thread-safe.
  virtual void RunActions(std::vector<Action> actions, ActionsInput input, HostCallbacks& host,
                          std::function<void(ActionsOutcome)> done);
  ActionsOutcome RunActionsSync(std::vector<Action> actions, ActionsInput input,
                                HostCallbacks& host);

  // Number of worker threads.
  virtual int threads() const = 0;
};

}  // namespace gatehouse::rules
