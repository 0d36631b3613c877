#include "rules/spidermonkey/worker.h"

#include <js/CompilationAndEvaluation.h>
#include <js/CompileOptions.h>
#include <js/Initialization.h>
#include <js/SourceText.h>
#include <js/Stack.h>
#include <pthread.h>

#include <algorithm>

#include "core/logging.h"
#include "rules/outcome_builder.h"
#include "rules/spidermonkey/js_runtime.h"

namespace gatehouse::rules::sm {

extern const std::string_view kPreludeJs;
extern const std::string_view kOutboundJs;

namespace {

const JSClass kGlobalClass = {"global", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps};

constexpr size_t kMaxConsoleLines = 500;
constexpr size_t kMaxConsoleLineBytes = size_t{16} * 1024;
constexpr size_t kMaxStencils = 2000;
// The heap counts as full past this share of the cap: a GC that ends above it
// means the rule is thrashing the collector, so the execution is stopped.
constexpr double kHeapFullRatio = 0.85;

JSObject* NewGlobal(JSContext* cx) {
  JS::RealmOptions options;
  return JS_NewGlobalObject(cx, &kGlobalClass, nullptr, JS::FireOnNewGlobalHook, options);
}

// Instantiates a compiled script in the current realm and runs it.
bool RunStencil(JSContext* cx, JS::Stencil* stencil, JS::MutableHandleValue result) {
  JS::CompileOptions options(cx);
  JS::InstantiateOptions instantiate(options);
  JS::RootedScript script(cx, JS::InstantiateGlobalStencil(cx, instantiate, stencil));
  return script && JS_ExecuteScript(cx, script, result);
}

size_t NativeStackQuota() {
  pthread_attr_t attr;
  size_t size = 1 << 20;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr;
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  return std::min<size_t>(size / 2, 4u << 20);
}

}  // namespace

Worker::Worker(const EngineOptions& options, ModuleResolver& modules,
               std::function<void(SteadyTime)> started)
    : options_(options), modules_(modules), started_(std::move(started)) {}

Worker::~Worker() {
  if (!cx_) return;
  realms_.clear();
  scratch_.reset();
  job_queue_.Clear();
  stencils_.clear();
  prelude_ = nullptr;
  outbound_ = nullptr;
  JS_DestroyContext(cx_);
}

Status Worker::Init() {
  GH_RETURN_IF_ERROR(EnsureJsInit());
  cx_ = JS_NewContext(options_.heap_cap_bytes);
  if (!cx_) return Internal("JS_NewContext failed");
  JS_SetNativeStackQuota(cx_, NativeStackQuota());
  // SpiderMonkey's defaults suit a browser tab, not a pool of short rule runs:
  // each context grew its nursery to 16 MiB and waited for about 27 MiB of
  // allocations before its first major GC, so two workers running a lodash
  // rule held ~70 MiB. A 1 MiB nursery and a 4 MiB first threshold keep a
  // worker near 5 MiB (docs/performance.md, "Memory").
  JS_SetGCParameter(cx_, JSGC_MAX_NURSERY_BYTES, 1u << 20);
  JS_SetGCParameter(cx_, JSGC_ALLOCATION_THRESHOLD, 4);  // MiB
  JS::SetJobQueue(cx_, &job_queue_);
  if (!JS::InitSelfHostedCode(cx_)) return Internal("JS::InitSelfHostedCode failed");
  JS_SetContextPrivate(cx_, this);
  JS_AddInterruptCallback(cx_, &Worker::OnInterrupt);
  JS_SetGCCallback(cx_, &Worker::OnGc, this);

  JS::RootedObject scratch(cx_, NewGlobal(cx_));
  if (!scratch) return Internal("cannot create the compile global");
  scratch_ = std::make_unique<JS::PersistentRootedObject>(cx_, scratch);
  JSAutoRealm realm(cx_, scratch);
  std::string error;
  prelude_ = StencilFor("prelude", "gatehouse:prelude.js", std::string(kPreludeJs), &error);
  if (!prelude_) return Internal("prelude does not compile: " + error);
  outbound_ = StencilFor("outbound", "gatehouse:outbound.js", std::string(kOutboundJs), &error);
  if (!outbound_) return Internal("outbound.js does not compile: " + error);
  return Status::Ok();
}

Status Worker::EnsureInit() {
  if (!init_) init_ = Init();
  return *init_;
}

RefPtr<JS::Stencil> Worker::StencilFor(const std::string& key, const std::string& filename,
                                       const std::string& source, std::string* error) {
  auto it = stencils_.find(key);
  if (it != stencils_.end()) return it->second;
  JS::CompileOptions options(cx_);
  options.setFileAndLine(filename.c_str(), 1);
  JS::SourceText<mozilla::Utf8Unit> text;
  if (!text.init(cx_, source.data(), source.size(), JS::SourceOwnership::Borrowed)) {
    *error = TakeException(cx_);
    return nullptr;
  }
  RefPtr<JS::Stencil> stencil = JS::CompileGlobalScriptToStencil(cx_, options, text);
  if (!stencil) {
    *error = TakeException(cx_);
    if (error->empty()) *error = "compilation stopped";
    return nullptr;
  }
  // Edited rules leave old entries behind; a bounded cache keeps that finite.
  if (stencils_.size() >= kMaxStencils) stencils_.clear();
  stencils_.emplace(key, stencil);
  return stencil;
}

namespace {
// "(" + script + "\n)" keeps line numbers and makes the script one expression.
std::string RuleSource(const Rule& rule) { return "(" + rule.script + "\n)"; }
std::string RuleKey(const Rule& rule) { return "rule:" + rule.name + '\0' + rule.script; }
}  // namespace

Status Worker::Compile(const Rule& rule) {
  GH_RETURN_IF_ERROR(EnsureInit());
  JSAutoRealm realm(cx_, *scratch_);
  std::string error;
  if (!StencilFor(RuleKey(rule), rule.name, RuleSource(rule), &error)) {
    return InvalidArgument(error);
  }
  return Status::Ok();
}

Worker::Realm* Worker::GetRealm(const std::string& tenant, std::string* error) {
  auto it = realms_.find(tenant);
  if (it != realms_.end()) {
    JSAutoRealm ar(cx_, *it->second.global);
    if (it->second.intrinsics->Reset(cx_)) return &it->second;
    // A rule made a built-in impossible to restore (non-configurable, or an
    // object non-extensible): this realm would leak into the next login, so
    // it is dropped and the execution gets a fresh one.
    log::Warn("rules_realm_replaced",
              {{"tenant", tenant}, {"reason", "a built-in could not be restored"}});
    realms_.erase(it);
  }
  JS::RootedObject global(cx_, NewGlobal(cx_));
  if (!global) {
    *error = "cannot create a global: " + TakeException(cx_);
    return nullptr;
  }
  JSAutoRealm ar(cx_, global);
  JS::RootedObject natives(cx_, JS_NewPlainObject(cx_));
  JS::RootedValue factory(cx_);
  JS::RootedValue pipeline(cx_);
  JS::RootedValue outbound(cx_);  // the prelude calls N.outbound(...) to build fetch & co.
  bool ok = JS::InitRealmStandardClasses(cx_) && natives && DefineNatives(cx_, natives) &&
            RunStencil(cx_, outbound_, &outbound) &&
            JS_DefineProperty(cx_, natives, "outbound", outbound, 0) &&
            RunStencil(cx_, prelude_, &factory);
  if (ok) {
    JS::RootedValueArray<1> args(cx_);
    args[0].setObject(*natives);
    ok = JS::Call(cx_, JS::UndefinedHandleValue, factory, args, &pipeline) && pipeline.isObject();
  }
  if (!ok) {
    *error = "cannot set up the rules global: " + TakeException(cx_);
    return nullptr;
  }
  JS::RootedObject pipeline_obj(cx_, &pipeline.toObject());
  JS::RootedValue targets(cx_);
  if (!JS_GetProperty(cx_, pipeline_obj, "intrinsics", &targets) || !targets.isObject()) {
    *error = "the prelude lists no intrinsics to guard";
    JS_ClearPendingException(cx_);
    return nullptr;
  }
  JS::RootedObject targets_obj(cx_, &targets.toObject());
  auto intrinsics = IntrinsicsGuard::Create(cx_, targets_obj, error);
  if (!intrinsics) return nullptr;
  Realm realm;
  realm.global = std::make_unique<JS::PersistentRootedObject>(cx_, global);
  realm.pipeline = std::make_unique<JS::PersistentRootedObject>(cx_, pipeline_obj);
  realm.intrinsics = std::move(intrinsics);
  return &realms_.emplace(tenant, std::move(realm)).first->second;
}

JSObject* Worker::RuleFunction(Realm& realm, const Rule& rule, std::string* error) {
  std::string key = RuleKey(rule);
  auto it = realm.rule_functions.find(key);
  if (it != realm.rule_functions.end()) return *it->second;
  RefPtr<JS::Stencil> stencil;
  {
    JSAutoRealm scratch(cx_, *scratch_);
    stencil = StencilFor(key, rule.name, RuleSource(rule), error);
  }
  if (!stencil) return nullptr;
  JS::RootedValue fn(cx_);
  if (!RunStencil(cx_, stencil, &fn)) {
    *error = TakeException(cx_);
    return nullptr;
  }
  if (!fn.isObject() || !JS::IsCallable(&fn.toObject())) {
    *error = "the script is not a function expression";
    return nullptr;
  }
  JSObject* obj = &fn.toObject();
  realm.rule_functions.emplace(key, std::make_unique<JS::PersistentRootedObject>(cx_, obj));
  return obj;
}

bool Worker::CallPipeline(Realm& realm, const char* method, const JS::HandleValueArray& args,
                          JS::MutableHandleValue result, std::string* error) {
  JS::RootedObject pipeline(cx_, *realm.pipeline);
  if (JS_CallFunctionName(cx_, pipeline, method, args, result)) return true;
  *error = TakeException(cx_);
  return false;
}

Worker::Wait Worker::RunUntilRuleDone(Realm& realm, std::string* error) {
  while (true) {
    if (stop_ != StopReason::kNone) return Wait::kStopped;
    if (!job_queue_.Drain(cx_)) {
      if (stop_ != StopReason::kNone) return Wait::kStopped;
      *error = "a promise job was terminated";
      return Wait::kFailed;
    }
    if (stop_ != StopReason::kNone) return Wait::kStopped;
    if (rule_done_) return Wait::kDone;

    std::deque<Completion> ready;
    {
      std::lock_guard lock(mu_);
      ready.swap(completions_);
    }
    bool progressed = false;
    for (auto& c : ready) {
      --pending_ops_;
      progressed = true;
      JS::RootedValueArray<3> args(cx_);
      args[0].setInt32(c.op_id);
      if (!c.value.empty()) {
        JSString* value = JS_NewStringCopyUTF8N(cx_, JS::UTF8Chars(c.value.data(), c.value.size()));
        if (!value) return Wait::kFailed;
        args[2].setString(value);
      }
      if (c.status.ok()) {
        args[1].setNull();
      } else {
        JSString* message = JS_NewStringCopyZ(cx_, c.status.message().c_str());
        if (!message) return Wait::kFailed;
        args[1].setString(message);
      }
      JS::RootedValue ignored(cx_);
      if (!CallPipeline(realm, "settle", args, &ignored, error)) {
        return stop_ != StopReason::kNone ? Wait::kStopped : Wait::kFailed;
      }
    }
    if (progressed) continue;

    auto now = std::chrono::steady_clock::now();
    auto next = timers_.end();
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (next == timers_.end() || it->second < next->second) next = it;
    }
    if (next != timers_.end() && next->second <= now) {
      JS::RootedValueArray<1> args(cx_);
      args[0].setInt32(next->first);
      timers_.erase(next);
      JS::RootedValue ignored(cx_);
      if (!CallPipeline(realm, "fireTimer", args, &ignored, error)) {
        return stop_ != StopReason::kNone ? Wait::kStopped : Wait::kFailed;
      }
      continue;
    }
    if (timers_.empty() && pending_ops_ == 0) {
      // Nothing left that could ever call back: waiting for the time limit
      // would only hold this worker.
      *error = "the rule returned without calling callback and has nothing pending";
      return Wait::kFailed;
    }
    SteadyTime until = deadline_;
    if (next != timers_.end()) until = std::min(until, next->second);
    {
      std::unique_lock lock(mu_);
      wake_.wait_until(lock, until,
                       [&] { return !completions_.empty() || stop_ != StopReason::kNone; });
    }
    if (std::chrono::steady_clock::now() >= deadline_ && stop_ == StopReason::kNone) {
      stop_ = StopReason::kTimeout;
    }
  }
}

Outcome Worker::Execute(const std::vector<Rule>& rules, const ExecutionInput& input,
                        HostCallbacks& host) {
  Outcome outcome;
  outcome.user = input.user;
  outcome.context = input.context;
  if (Status init = EnsureInit(); !init.ok()) {
    outcome.kind = OutcomeKind::kError;
    outcome.error_code = "server_error";
    outcome.error_description = "A rule failed to run.";
    outcome.debug = "rules worker unavailable: " + init.ToString();
    return outcome;
  }
  std::vector<const Rule*> ordered;
  for (const auto& r : rules) {
    if (r.enabled) ordered.push_back(&r);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Rule* a, const Rule* b) { return a->order < b->order; });

  auto began = std::chrono::steady_clock::now();
  host_ = &host;
  outcome_ = &outcome;
  stop_ = StopReason::kNone;
  array_bytes_ = 0;
  {
    std::lock_guard lock(mu_);
    ++serial_;
    running_ = true;
    deadline_ = began + options_.pipeline_timeout;
    completions_.clear();
  }
  if (started_) started_(deadline_);

  std::string error;
  Realm* realm = GetRealm(input.tenant.empty() ? "default" : input.tenant, &error);
  if (!realm) {
    FailOutcome(outcome, "", error);
  } else {
    JSAutoRealm ar(cx_, *realm->global);
    RunPipeline(*realm, ordered, input, outcome);
  }
  EndExecution(input.tenant.empty() ? "default" : input.tenant);
  outcome.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - began);
  return outcome;
}

void Worker::RunPipeline(Realm& realm, const std::vector<const Rule*>& rules,
                         const ExecutionInput& input, Outcome& outcome) {
  std::string error;
  auto fail_stopped = [&](const std::string& rule) {
    bool memory = stop_ == StopReason::kMemory;
    FailOutcome(outcome, rule,
                memory ? "rule \"" + rule + "\" exceeded the memory limit"
                       : "rule \"" + rule + "\" exceeded the pipeline time limit of " +
                             std::to_string(options_.pipeline_timeout.count()) + " ms");
  };
  auto new_string = [&](const std::string& s) {
    return JS_NewStringCopyUTF8N(cx_, JS::UTF8Chars(s.data(), s.size()));
  };
  JS::RootedValueArray<4> begin_args(cx_);
  std::string strings[4] = {input.user.dump(), ContextJson(input).dump(),
                            ConfigurationJson(input).dump(), Auth0Json(input).dump()};
  for (int i = 0; i < 4; ++i) {
    JSString* s = new_string(strings[i]);
    if (!s) return FailOutcome(outcome, "", "cannot pass the input: " + TakeException(cx_));
    begin_args[i].setString(s);
  }
  JS::RootedValue state(cx_);
  if (!CallPipeline(realm, "begin", begin_args, &state, &error)) {
    if (stop_ != StopReason::kNone) return fail_stopped("");
    return FailOutcome(outcome, "", "cannot start the pipeline: " + error);
  }

  for (const Rule* rule : rules) {
    current_rule_ = rule->name;
    rule_done_ = false;
    rule_failed_ = false;
    auto started = std::chrono::steady_clock::now();
    JS::RootedObject fn(cx_, RuleFunction(realm, *rule, &error));
    if (!fn) {
      if (stop_ != StopReason::kNone) return fail_stopped(rule->name);
      return FailOutcome(outcome, rule->name,
                         "rule \"" + rule->name + "\" failed to load: " + error);
    }
    JSString* name = new_string(rule->name);
    if (!name) return FailOutcome(outcome, rule->name, "out of memory");
    JS::RootedValueArray<3> args(cx_);
    args[0].setObject(*fn);
    args[1].setString(name);
    args[2].set(state);
    JS::RootedValue ignored(cx_);
    Wait wait = Wait::kFailed;
    if (CallPipeline(realm, "startRule", args, &ignored, &error)) {
      wait = RunUntilRuleDone(realm, &error);
    } else if (stop_ != StopReason::kNone) {
      wait = Wait::kStopped;
    }
    outcome.timings.push_back({rule->name, std::chrono::duration_cast<std::chrono::microseconds>(
                                               std::chrono::steady_clock::now() - started)});
    if (wait == Wait::kStopped) return fail_stopped(rule->name);
    if (wait == Wait::kFailed) {
      return FailOutcome(outcome, rule->name, "rule \"" + rule->name + "\": " + error);
    }
    if (rule_failed_) {
      outcome.failed_rule = rule->name;
      break;
    }
  }
  current_rule_.clear();
  JS::RootedValueArray<1> finish_args(cx_);
  finish_args[0].set(state);
  JS::RootedValue result(cx_);
  if (!CallPipeline(realm, "finish", finish_args, &result, &error) || !result.isString()) {
    if (stop_ != StopReason::kNone) return fail_stopped(outcome.failed_rule);
    return FailOutcome(outcome, outcome.failed_rule,
                       "the user or context cannot be serialised: " + error);
  }
  JS::RootedString text(cx_, result.toString());
  JS::UniqueChars utf8 = JS_EncodeStringToUTF8(cx_, text);
  if (!utf8) return FailOutcome(outcome, "", "out of memory");
  auto finished = nlohmann::json::parse(utf8.get(), nullptr, /*allow_exceptions=*/false);
  BuildOutcome(finished, input, outcome);
}

void Worker::EndExecution(const std::string& tenant) {
  job_queue_.Clear();
  timers_.clear();
  pending_ops_ = 0;
  host_ = nullptr;
  outcome_ = nullptr;
  current_rule_.clear();
  {
    std::lock_guard lock(mu_);
    running_ = false;
    completions_.clear();
  }
  if (JS_IsExceptionPending(cx_)) JS_ClearPendingException(cx_);
  if (stop_ == StopReason::kMemory) {
    // Whatever filled the heap may hang off `global`: start the tenant afresh
    // (SPEC §4.3 lets `global` be reset at any time) and reclaim it now.
    realms_.erase(tenant);
    JS_GC(cx_);
  }
  stop_ = StopReason::kNone;
  JS_MaybeGC(cx_);
}

bool Worker::Deadline(SteadyTime* deadline, uint64_t* serial) {
  std::lock_guard lock(mu_);
  if (!running_) return false;
  *deadline = deadline_;
  *serial = serial_;
  return true;
}

void Worker::Interrupt(uint64_t serial, StopReason reason) {
  std::lock_guard lock(mu_);
  if (!running_ || serial != serial_) return;
  StopReason none = StopReason::kNone;
  stop_.compare_exchange_strong(none, reason);
  JS_RequestInterruptCallback(cx_);
  wake_.notify_all();
}

void Worker::Stop(StopReason reason) {
  StopReason none = StopReason::kNone;
  stop_.compare_exchange_strong(none, reason);
  JS_RequestInterruptCallback(cx_);
}

bool Worker::OnInterrupt(JSContext* cx) {
  auto* worker = static_cast<Worker*>(JS_GetContextPrivate(cx));
  return worker->stop_ == StopReason::kNone;
}

void Worker::OnGc(JSContext* cx, JSGCStatus status, JS::GCReason, void* data) {
  auto* worker = static_cast<Worker*>(data);
  if (status != JSGC_END || worker->outcome_ == nullptr) return;
  double used = JS_GetGCParameter(cx, JSGC_BYTES);
  if (used > kHeapFullRatio * static_cast<double>(worker->options_.heap_cap_bytes)) {
    worker->Stop(StopReason::kMemory);
  }
}

void Worker::Log(const std::string& level, const std::string& text) {
  if (!outcome_ || outcome_->console.size() >= kMaxConsoleLines) return;
  outcome_->console.push_back({level, current_rule_, text.substr(0, kMaxConsoleLineBytes)});
}

int Worker::SetTimer(double delay_ms) {
  int id = next_timer_id_++;
  timers_[id] = std::chrono::steady_clock::now() +
                std::chrono::microseconds(static_cast<int64_t>(std::min(delay_ms, 1e9) * 1000));
  return id;
}

void Worker::ClearTimer(int id) { timers_.erase(id); }

int Worker::StartHostOp(const std::string& kind, const std::string& user_id,
                        const std::string& json) {
  int id = next_op_id_++;
  ++pending_ops_;
  uint64_t serial = serial_;
  auto done = [this, serial, id](Status status) {
    std::lock_guard lock(mu_);
    if (!running_ || serial != serial_) return;  // the execution is over
    completions_.push_back({serial, id, std::move(status)});
    wake_.notify_all();
  };
  auto patch = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!host_) {
    done(Unavailable("no host"));
  } else if (kind == "user_metadata") {
    host_->UpdateUserMetadata(user_id, patch, std::move(done));
  } else {
    host_->UpdateAppMetadata(user_id, patch, std::move(done));
  }
  return id;
}

void Worker::RuleDone(bool failed) {
  rule_done_ = true;
  rule_failed_ = failed;
}

bool Worker::ChargeArrayBytes(double bytes) {
  array_bytes_ += bytes;
  if (array_bytes_ <= static_cast<double>(options_.array_buffer_cap_bytes)) return true;
  Stop(StopReason::kMemory);
  return false;
}

bool Worker::ResolveModule(JSContext* cx, const std::string& request, const std::string& from,
                           std::string* filename) {
  auto found = modules_.Resolve(request, from);
  if (!found.ok()) {
    JS_ReportErrorUTF8(cx, "%s", found.status().message().c_str());
    return false;
  }
  *filename = *found;
  return true;
}

JSObject* Worker::CompileModule(JSContext* cx, const std::string& filename) {
  std::string key = "module:" + filename;
  RefPtr<JS::Stencil> stencil;
  std::string error;
  auto cached = stencils_.find(key);
  if (cached != stencils_.end()) {
    stencil = cached->second;
  } else {
    auto text = modules_.Read(filename);
    if (!text.ok()) {
      JS_ReportErrorUTF8(cx, "%s", text.status().message().c_str());
      return nullptr;
    }
    std::string source =
        "(function (exports, require, module, __filename, __dirname) {" + **text + "\n})";
    JSAutoRealm scratch(cx, *scratch_);
    stencil = StencilFor(key, filename, source, &error);
  }
  if (!stencil) {
    JS_ReportErrorUTF8(cx, "%s", error.c_str());
    return nullptr;
  }
  JS::RootedValue fn(cx);
  if (!RunStencil(cx, stencil, &fn)) return nullptr;
  return fn.isObject() ? &fn.toObject() : nullptr;
}

bool Worker::ReadModuleText(JSContext* cx, const std::string& filename, std::string* text) {
  auto content = modules_.Read(filename);
  if (!content.ok()) {
    JS_ReportErrorUTF8(cx, "%s", content.status().message().c_str());
    return false;
  }
  *text = **content;
  return true;
}

}  // namespace gatehouse::rules::sm
