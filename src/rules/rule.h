#pragma once
// A rule as stored and as the engine runs it (SPEC §4.1).

#include <string>

#include "core/status.h"

namespace gatehouse::rules {

struct Rule {
  std::string id;
  std::string name;
  // One function expression: `function name(user, context, callback) {...}`
  // (async functions and arrow functions too).
  std::string script;
  int order = 0;  // lower runs first
  bool enabled = true;
};

// Ok when `name` is letters, digits, spaces and '-', non-empty, with no
// leading or trailing space or '-'. InvalidArgument otherwise (message says
// why). Does not look at the script: compiling is the engine's job.
Status ValidateRuleName(const std::string& name);

}  // namespace gatehouse::rules
