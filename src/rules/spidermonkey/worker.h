#pragma once
// One rules worker: owns the thread's only JSContext (created once), one JS
// global per tenant, the compiled rules and modules, and runs executions one
// at a time. Every method except Interrupt() must be called on the worker's
// own thread.

#include <js/experimental/JSStencil.h>
#include <jsapi.h>
#include <mozilla/RefPtr.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "rules/engine.h"
#include "rules/module_resolver.h"
#include "rules/spidermonkey/intrinsics_guard.h"
#include "rules/spidermonkey/job_queue.h"
#include "rules/spidermonkey/natives.h"

namespace gatehouse::rules::sm {

enum class StopReason { kNone = 0, kTimeout, kMemory };

class Worker final : public NativeHost {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // `started` is called (on the worker thread) with the deadline whenever an
  // execution begins, so a watchdog can pick it up.
  Worker(const EngineOptions& options, ModuleResolver& modules,
         std::function<void(SteadyTime)> started);
  ~Worker() override;

  // Creates the context. Internal on failure (the worker is then unusable).
  // Called by the first Compile/Execute/ExecuteActions on this thread, not at
  // start-up: a context costs about 3 MiB and 15-20 ms, and a node that never
  // runs a rule (or runs them on fewer workers than it has) never pays it.
  Status Init();
  // Init() once; later calls return its result. Every task calls it first.
  Status EnsureInit();
  // Compiles the rule's script (cached by source). InvalidArgument with the JS
  // error and line when it does not compile.
  Status Compile(const Rule& rule);
  // Runs the pipeline; never throws; the worker stays usable afterwards.
  Outcome Execute(const std::vector<Rule>& rules, const ExecutionInput& input, HostCallbacks& host);
  // Runs the actions (action_worker.cc); same guarantees as Execute().
  ActionsOutcome ExecuteActions(const std::vector<Action>& actions, const ActionsInput& input,
                                HostCallbacks& host);

  // Watchdog side (any thread): the current execution's deadline, or nullopt
  // when idle; and a request to stop the execution numbered `serial`.
  bool Deadline(SteadyTime* deadline, uint64_t* serial);
  void Interrupt(uint64_t serial, StopReason reason);

  // NativeHost.
  void Log(const std::string& level, const std::string& text) override;
  int SetTimer(double delay_ms) override;
  void ClearTimer(int id) override;
  int StartHostOp(const std::string& kind, const std::string& user_id,
                  const std::string& json) override;
  int StartFetch(const std::string& request_json) override;  // worker_fetch.cc
  void RuleDone(bool failed) override;
  bool ChargeArrayBytes(double bytes) override;
  bool ResolveModule(JSContext* cx, const std::string& request, const std::string& from,
                     std::string* filename) override;
  JSObject* CompileModule(JSContext* cx, const std::string& filename) override;
  bool ReadModuleText(JSContext* cx, const std::string& filename, std::string* text) override;

 private:
  struct Realm {
    std::unique_ptr<JS::PersistentRootedObject> global;
    std::unique_ptr<JS::PersistentRootedObject> pipeline;  // what the prelude returned
    std::unordered_map<std::string, std::unique_ptr<JS::PersistentRootedObject>> rule_functions;
    std::unique_ptr<JS::PersistentRootedObject> actions;  // actions_prelude.js, made on first use
    std::unique_ptr<IntrinsicsGuard> intrinsics;          // reset by GetRealm
  };
  struct Completion {
    uint64_t serial;
    int op_id;
    Status status;
    std::string value;  // what the op's Promise resolves with ("" = undefined)
  };
  enum class Wait { kDone, kStopped, kFailed };

  static bool OnInterrupt(JSContext* cx);
  static void OnGc(JSContext* cx, JSGCStatus status, JS::GCReason reason, void* data);

  // The tenant's realm, its built-ins restored (IntrinsicsGuard), or a fresh
  // one when they cannot be. Null with `error` when a realm cannot be made.
  Realm* GetRealm(const std::string& tenant, std::string* error);
  RefPtr<JS::Stencil> StencilFor(const std::string& key, const std::string& filename,
                                 const std::string& source, std::string* error);
  JSObject* RuleFunction(Realm& realm, const Rule& rule, std::string* error);
  // Runs jobs, timers and host completions until the current rule called back.
  Wait RunUntilRuleDone(Realm& realm, std::string* error);
  bool CallPipeline(Realm& realm, const char* method, const JS::HandleValueArray& args,
                    JS::MutableHandleValue result, std::string* error);
  void Stop(StopReason reason);
  void RunPipeline(Realm& realm, const std::vector<const Rule*>& rules, const ExecutionInput& input,
                   Outcome& outcome);
  void EndExecution(const std::string& tenant);
  // Action execution steps (action_worker.cc).
  JSObject* ActionsPipeline(Realm& realm, std::string* error);
  void RunActionsIn(Realm& realm, const std::vector<Action>& actions, const ActionsInput& input,
                    ActionsOutcome& outcome);

  const EngineOptions options_;
  ModuleResolver& modules_;
  std::function<void(SteadyTime)> started_;
  JSContext* cx_ = nullptr;
  std::optional<Status> init_;                           // set by the first EnsureInit()
  std::unique_ptr<JS::PersistentRootedObject> scratch_;  // a bare global to compile in
  JobQueue job_queue_;
  RefPtr<JS::Stencil> prelude_;
  RefPtr<JS::Stencil> outbound_;  // js/outbound.js: fetch, request, axios
  std::unordered_map<std::string, Realm> realms_;
  std::unordered_map<std::string, RefPtr<JS::Stencil>> stencils_;  // by source (+ filename)

  // The current execution (worker thread only, except where noted).
  HostCallbacks* host_ = nullptr;
  Outcome* outcome_ = nullptr;
  std::string current_rule_;
  bool rule_done_ = false;
  bool rule_failed_ = false;
  double array_bytes_ = 0;
  int next_timer_id_ = 1;
  std::map<int, SteadyTime> timers_;
  int next_op_id_ = 1;
  int pending_ops_ = 0;
  std::atomic<StopReason> stop_{StopReason::kNone};

  // Shared with the watchdog and host-op completions (any thread).
  std::mutex mu_;
  std::condition_variable wake_;
  uint64_t serial_ = 0;
  bool running_ = false;
  SteadyTime deadline_;
  std::deque<Completion> completions_;
};

}  // namespace gatehouse::rules::sm
