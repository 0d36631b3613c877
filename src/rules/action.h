#pragma once
// Auth0 Actions (post-login trigger) as the engine runs them, beside rules
// (rule.h). An action is a CommonJS module exporting
// `onExecutePostLogin(event, api)` and optionally `onContinuePostLogin`.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rules/execution.h"

namespace gatehouse::rules {

struct Action {
  std::string id;
  std::string name;
  std::string code;                            // the module source
  std::map<std::string, std::string> secrets;  // event.secrets of this action only
};

// One run of the bound actions, from `start` on.
struct ActionsInput {
  std::string tenant = "default";  // selects the JS global, as for rules
  // Auth0's post-login event without `secrets` (added per action): user,
  // client, connection, request, transaction, stats, tenant, session,
  // authentication, authorization. Built by the host.
  nlohmann::json event = nlohmann::json::object();
  size_t start = 0;     // index into the actions of the first one to run
  bool resume = false;  // the action at `start` runs onContinuePostLogin
  // False on back-channel protocols (password, refresh grants): canRedirect()
  // is false and sendUserTo() is recorded as a redirect the host refuses.
  bool can_redirect = true;
  // The /continue state: encodeToken binds tokens to it (claim `state`),
  // validateToken requires it. Chosen by the host before the run.
  std::string state;
  // On resume: the state the browser came back with; validateToken in the
  // resumed onContinuePostLogin requires it.
  std::string resume_state;
  std::string issuer;  // `iss` of encodeToken
  // The access token's scopes so far (space-separated): what addScope and
  // removeScope start from. The host only lets the result narrow the grant.
  std::string scope;
  // What earlier actions of this login collected (ActionsOutcome::collected),
  // carried across a redirect; null or {} at the start of a login.
  nlohmann::json collected;
};

// What actions hand back. `collected` has the shape
//   {"idToken": {claim: value}, "accessToken": {claim: value},
//    "scope": [scopes] | null (untouched), "userMetadata": {key: value|null},
//    "appMetadata": {key: value|null}, "methods": [{name, timestamp}]}
// and accumulates over every action of the login, so the host writes the
// metadata once (null deletes a key) and adds the claims once at the end.
struct ActionsOutcome {
  // kContinue: every action from `start` ran; kRedirect: the action at
  // `index` called sendUserTo (the host appends state and pauses);
  // kDeny: api.access.deny (error_code access_denied) or a thrown
  // UnauthorizedError (unauthorized); kError: timeout, memory, compile error.
  OutcomeKind kind = OutcomeKind::kError;
  size_t index = 0;                         // the action that redirected, denied or failed
  std::optional<std::string> redirect_url;  // sendUserTo's URL with its query, no state yet
  nlohmann::json collected = nlohmann::json::object();
  std::string error_code;         // "access_denied" | "unauthorized" | "server_error"
  std::string error_description;  // safe to show the client
  std::string debug;              // for logs only
  std::string failed_action;      // name of the action that denied or failed
  std::vector<ConsoleLine> console;
  std::chrono::microseconds elapsed{0};
};

// The action's module source as one function expression taking
// (exports, require, module), so it compiles and caches like a rule script
// (Engine::Compile checks it); line numbers stay those of `code`.
std::string ActionModuleFunction(const std::string& code);

}  // namespace gatehouse::rules
