#pragma once
// The engine-independent ends of an execution: what the JS side is handed
// (context, configuration, auth0) and how its final state becomes an Outcome.

#include <nlohmann/json.hpp>
#include <string>

#include "rules/execution.h"

namespace gatehouse::rules {

// input.context with `tenant` and `protocol` from the input and empty
// `idToken`/`accessToken` objects when absent (rules write claims into them).
nlohmann::json ContextJson(const ExecutionInput& input);
// The configuration map as a JSON object of strings.
nlohmann::json ConfigurationJson(const ExecutionInput& input);
// {accessToken, domain, baseUrl} for the `auth0` global.
nlohmann::json Auth0Json(const ExecutionInput& input);

// Marks `outcome` as a server_error with a generic public description;
// `debug` (the reason, for logs) and the failing rule are kept.
void FailOutcome(Outcome& outcome, const std::string& rule, const std::string& debug);

// Fills `outcome` from the pipeline's final state
// {user, context, error: null | {code, message, stack}} (anything else is a
// server_error). Error codes: "unauthorized" and "access_denied" deny with the
// rule's message; "server_error" (engine limits such as "too much recursion")
// fails with a generic description. Otherwise a string context.redirect.url
// redirects, except on the "redirect-callback" pass where it is ignored with a
// console warning (SPEC §3.2). Claims: only namespaced ones (http:// or
// https:// prefix) from context.idToken / context.accessToken are kept, plus
// accessToken.scope (the host checks that it only narrows); dropped ones are
// noted on the console.
void BuildOutcome(const nlohmann::json& finished, const ExecutionInput& input, Outcome& outcome);

}  // namespace gatehouse::rules
