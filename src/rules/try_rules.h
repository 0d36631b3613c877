#pragma once
// "Try this rule": what `gatehouse rules test` calls. Runs rules against a
// fixture user/context/configuration with host callbacks that only record.

#include <nlohmann/json.hpp>
#include <vector>

#include "core/status.h"
#include "rules/engine.h"

namespace gatehouse::rules {

struct TryResult {
  Outcome outcome;
  std::vector<RecordingHostCallbacks::Call> metadata_updates;
  // Outbound requests the rules made: recorded, never sent (each was answered
  // with an error saying so).
  std::vector<FetchRequest> outbound_calls;
};

// Compiles every rule first: InvalidArgument naming the first rule that does
// not compile, with the JS error and line. Then runs them all (enabled ones,
// by order) with `input`. A rule that denies or fails is a TryResult, not an
// error. Thread-safe as far as `engine` is.
Result<TryResult> TryRules(Engine& engine, const std::vector<Rule>& rules, ExecutionInput input);

// The result as one JSON object for printing: kind, error fields, redirect,
// user, context, claims, console lines, timings (µs), metadata updates,
// outbound calls (method and URL).
nlohmann::json TryResultToJson(const TryResult& result);

}  // namespace gatehouse::rules
