// Worker: running Auth0 Actions (rules/action.h). Kept apart from worker.cc,
// which runs rules; both share the worker's realm, deadline and event loop.

#include <js/CompilationAndEvaluation.h>
#include <js/CompileOptions.h>

#include "rules/spidermonkey/js_runtime.h"
#include "rules/spidermonkey/worker.h"

namespace gatehouse::rules::sm {

extern const std::string_view kActionsPreludeJs;

namespace {

void FailActions(ActionsOutcome& outcome, size_t index, const std::string& action,
                 const std::string& debug) {
  outcome.kind = OutcomeKind::kError;
  outcome.index = index;
  outcome.error_code = "server_error";
  outcome.error_description = "An action failed to run.";
  outcome.debug = debug;
  outcome.failed_action = action;
  outcome.redirect_url.reset();
}

nlohmann::json SecretsJson(const Action& action) {
  nlohmann::json secrets = nlohmann::json::object();
  for (const auto& [k, v] : action.secrets) secrets[k] = v;
  return secrets;
}

}  // namespace

JSObject* Worker::ActionsPipeline(Realm& realm, std::string* error) {
  if (realm.actions) return *realm.actions;
  RefPtr<JS::Stencil> stencil;
  {
    JSAutoRealm scratch(cx_, *scratch_);
    stencil = StencilFor("actions_prelude", "gatehouse:actions_prelude.js",
                         std::string(kActionsPreludeJs), error);
  }
  if (!stencil) return nullptr;
  JS::CompileOptions options(cx_);
  JS::InstantiateOptions instantiate(options);
  JS::RootedScript script(cx_, JS::InstantiateGlobalStencil(cx_, instantiate, stencil));
  JS::RootedValue factory(cx_);
  JS::RootedValue pipeline(cx_);
  JS::RootedValueArray<1> args(cx_);
  args[0].setObject(**realm.pipeline);
  if (!script || !JS_ExecuteScript(cx_, script, &factory) ||
      !JS::Call(cx_, JS::UndefinedHandleValue, factory, args, &pipeline) || !pipeline.isObject()) {
    *error = "cannot set up the actions global: " + TakeException(cx_);
    return nullptr;
  }
  realm.actions = std::make_unique<JS::PersistentRootedObject>(cx_, &pipeline.toObject());
  return *realm.actions;
}

ActionsOutcome Worker::ExecuteActions(const std::vector<Action>& actions, const ActionsInput& input,
                                      HostCallbacks& host) {
  ActionsOutcome outcome;
  outcome.collected = input.collected.is_object() ? input.collected : nlohmann::json::object();
  if (Status init = EnsureInit(); !init.ok()) {
    outcome.kind = OutcomeKind::kError;
    outcome.error_code = "server_error";
    outcome.error_description = "An action failed to run.";
    outcome.debug = "rules worker unavailable: " + init.ToString();
    return outcome;
  }
  Outcome console;  // Log() and the memory watch work on an Outcome
  auto began = std::chrono::steady_clock::now();
  host_ = &host;
  outcome_ = &console;
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

  const std::string tenant = input.tenant.empty() ? "default" : input.tenant;
  std::string error;
  Realm* realm = GetRealm(tenant, &error);
  if (!realm) {
    FailActions(outcome, input.start, "", error);
  } else {
    JSAutoRealm ar(cx_, *realm->global);
    RunActionsIn(*realm, actions, input, outcome);
  }
  EndExecution(tenant);
  outcome.console = std::move(console.console);
  outcome.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - began);
  return outcome;
}

void Worker::RunActionsIn(Realm& realm, const std::vector<Action>& actions,
                          const ActionsInput& input, ActionsOutcome& outcome) {
  std::string error;
  auto fail_stopped = [&](size_t index, const std::string& name) {
    FailActions(outcome, index, name,
                stop_ == StopReason::kMemory
                    ? "action \"" + name + "\" exceeded the memory limit"
                    : "action \"" + name + "\" exceeded the pipeline time limit of " +
                          std::to_string(options_.pipeline_timeout.count()) + " ms");
  };
  auto new_string = [&](const std::string& s) {
    return JS_NewStringCopyUTF8N(cx_, JS::UTF8Chars(s.data(), s.size()));
  };
  JS::RootedObject pipeline(cx_, ActionsPipeline(realm, &error));
  if (!pipeline) return FailActions(outcome, input.start, "", error);

  nlohmann::json options = {{"state", input.state},
                            {"resumeState", input.resume_state},
                            {"issuer", input.issuer},
                            {"canRedirect", input.can_redirect},
                            {"scope", input.scope}};
  std::string strings[3] = {input.event.dump(), options.dump(), outcome.collected.dump()};
  JS::RootedValueArray<3> begin_args(cx_);
  for (int i = 0; i < 3; ++i) {
    JSString* s = new_string(strings[i]);
    if (!s) return FailActions(outcome, input.start, "", "cannot pass the input");
    begin_args[i].setString(s);
  }
  JS::RootedValue state(cx_);
  if (!JS_CallFunctionName(cx_, pipeline, "begin", begin_args, &state)) {
    if (stop_ != StopReason::kNone) return fail_stopped(input.start, "");
    return FailActions(outcome, input.start, "", "cannot start the actions: " + TakeException(cx_));
  }

  size_t last = input.start;
  for (size_t i = input.start; i < actions.size(); ++i) {
    const Action& action = actions[i];
    last = i;
    current_rule_ = action.name;
    rule_done_ = false;
    rule_failed_ = false;
    Rule module{.id = action.id, .name = action.name, .script = ActionModuleFunction(action.code)};
    JS::RootedObject fn(cx_, RuleFunction(realm, module, &error));
    if (!fn) {
      if (stop_ != StopReason::kNone) return fail_stopped(i, action.name);
      return FailActions(outcome, i, action.name,
                         "action \"" + action.name + "\" failed to load: " + error);
    }
    JSString* name = new_string(action.name);
    JSString* secrets = new_string(SecretsJson(action).dump());
    JSString* mode = new_string(input.resume && i == input.start ? "continue" : "execute");
    if (!name || !secrets || !mode) return FailActions(outcome, i, action.name, "out of memory");
    JS::RootedValueArray<5> args(cx_);
    args[0].setObject(*fn);
    args[1].setString(name);
    args[2].setString(secrets);
    args[3].setString(mode);
    args[4].set(state);
    JS::RootedValue ignored(cx_);
    Wait wait = Wait::kFailed;
    if (JS_CallFunctionName(cx_, pipeline, "startAction", args, &ignored)) {
      wait = RunUntilRuleDone(realm, &error);
    } else if (stop_ != StopReason::kNone) {
      wait = Wait::kStopped;
    } else {
      error = TakeException(cx_);
    }
    if (wait == Wait::kStopped) return fail_stopped(i, action.name);
    if (wait == Wait::kFailed) {
      return FailActions(outcome, i, action.name, "action \"" + action.name + "\": " + error);
    }
    if (rule_failed_) break;  // denied, redirected or threw
  }
  current_rule_.clear();

  JS::RootedValueArray<1> finish_args(cx_);
  finish_args[0].set(state);
  JS::RootedValue result(cx_);
  if (!JS_CallFunctionName(cx_, pipeline, "finish", finish_args, &result) || !result.isString()) {
    if (stop_ != StopReason::kNone) return fail_stopped(last, "");
    return FailActions(outcome, last, "", "the actions' results cannot be serialised");
  }
  JS::RootedString text(cx_, result.toString());
  JS::UniqueChars utf8 = JS_EncodeStringToUTF8(cx_, text);
  if (!utf8) return FailActions(outcome, last, "", "out of memory");
  auto finished = nlohmann::json::parse(utf8.get(), nullptr, /*allow_exceptions=*/false);
  if (!finished.is_object()) return FailActions(outcome, last, "", "no result from the actions");
  outcome.index = last;
  outcome.collected = finished.value("collected", nlohmann::json::object());
  const std::string failed = last < actions.size() ? actions[last].name : "";
  const auto& err = finished["error"];
  if (err.is_object()) {
    std::string code = err.value("code", "access_denied");
    if (code != "unauthorized" && code != "access_denied") {
      return FailActions(outcome, last, failed,
                         err.value("message", "") + "\n" + err.value("stack", ""));
    }
    outcome.kind = OutcomeKind::kDeny;
    outcome.error_code = code;
    outcome.error_description = err.value("message", "");
    outcome.debug = err.value("stack", "");
    outcome.failed_action = failed;
  } else if (finished["deny"].is_string()) {
    outcome.kind = OutcomeKind::kDeny;
    outcome.error_code = "access_denied";
    outcome.error_description = finished["deny"].get<std::string>();
    outcome.failed_action = failed;
  } else if (finished["redirect"].is_string()) {
    outcome.kind = OutcomeKind::kRedirect;
    outcome.redirect_url = finished["redirect"].get<std::string>();
  } else {
    outcome.kind = OutcomeKind::kContinue;
    outcome.index = actions.size();
  }
}

}  // namespace gatehouse::rules::sm
