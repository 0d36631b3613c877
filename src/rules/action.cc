#include "rules/action.h"

#include <future>

#include "rules/engine.h"

namespace gatehouse::rules {

std::string ActionModuleFunction(const std::string& code) {
  return "function (exports, require, module) {" + code + "\n}";
}

void Engine::RunActions(std::vector<Action>, ActionsInput, HostCallbacks&,
                        std::function<void(ActionsOutcome)> done) {
  ActionsOutcome outcome;
  outcome.error_code = "server_error";
  outcome.error_description = "An action failed to run.";
  outcome.debug = "this rules engine does not run actions";
  done(std::move(outcome));
}

ActionsOutcome Engine::RunActionsSync(std::vector<Action> actions, ActionsInput input,
                                      HostCallbacks& host) {
  std::promise<ActionsOutcome> promise;
  auto future = promise.get_future();
  RunActions(std::move(actions), std::move(input), host,
             [&promise](ActionsOutcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

}  // namespace gatehouse::rules
