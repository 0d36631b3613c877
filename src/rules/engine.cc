#include "rules/engine.h"

#include <future>

namespace gatehouse::rules {

Outcome Engine::RunSync(std::vector<Rule> rules, ExecutionInput input, HostCallbacks& host) {
  std::promise<Outcome> promise;
  auto future = promise.get_future();
  Run(std::move(rules), std::move(input), host,
      [&promise](Outcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

const char* OutcomeKindName(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kContinue: return "continue";
    case OutcomeKind::kRedirect: return "redirect";
    case OutcomeKind::kDeny: return "deny";
    case OutcomeKind::kError: return "error";
  }
  return "error";
}

}  // namespace gatehouse::rules
