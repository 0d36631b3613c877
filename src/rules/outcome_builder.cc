#include "rules/outcome_builder.h"

namespace gatehouse::rules {
namespace {

bool Namespaced(const std::string& claim) {
  return claim.rfind("https://", 0) == 0 || claim.rfind("http://", 0) == 0;
}

nlohmann::json CustomClaims(const nlohmann::json& from, const char* token, bool allow_scope,
                            Outcome& outcome) {
  nlohmann::json claims = nlohmann::json::object();
  if (!from.is_object()) return claims;
  for (const auto& [name, value] : from.items()) {
    if (Namespaced(name) || (allow_scope && name == "scope" && value.is_string())) {
      claims[name] = value;
    } else {
      outcome.console.push_back({"warn", "",
                                 std::string("claim \"") + name + "\" in context." + token +
                                     " ignored: custom claims must be namespaced with an "
                                     "http:// or https:// prefix"});
    }
  }
  return claims;
}

}  // namespace

nlohmann::json ContextJson(const ExecutionInput& input) {
  nlohmann::json context = input.context.is_object() ? input.context : nlohmann::json::object();
  context["tenant"] = input.tenant;
  context["protocol"] = input.protocol;
  for (const char* key : {"idToken", "accessToken"}) {
    if (!context[key].is_object()) context[key] = nlohmann::json::object();
  }
  return context;
}

nlohmann::json ConfigurationJson(const ExecutionInput& input) {
  nlohmann::json config = nlohmann::json::object();
  for (const auto& [k, v] : input.configuration) config[k] = v;
  return config;
}

nlohmann::json Auth0Json(const ExecutionInput& input) {
  return {{"accessToken", input.auth0_access_token},
          {"domain", input.auth0_domain},
          {"baseUrl", input.auth0_domain.empty() ? "" : "https://" + input.auth0_domain}};
}

void FailOutcome(Outcome& outcome, const std::string& rule, const std::string& debug) {
  outcome.kind = OutcomeKind::kError;
  outcome.error_code = "server_error";
  outcome.error_description = "A rule failed to run.";
  outcome.debug = debug;
  outcome.failed_rule = rule;
  outcome.redirect_url.reset();
}

void BuildOutcome(const nlohmann::json& finished, const ExecutionInput& input, Outcome& outcome) {
  if (!finished.is_object() || !finished.contains("user") || !finished.contains("context")) {
    return FailOutcome(outcome, outcome.failed_rule, "the pipeline returned no user or context");
  }
  outcome.user = finished["user"];
  outcome.context = finished["context"];
  const auto& error = finished.value("error", nlohmann::json());
  if (error.is_object()) {
    std::string code = error.value("code", "access_denied");
    std::string message = error.value("message", "");
    if (code == "unauthorized" || code == "access_denied") {
      outcome.kind = OutcomeKind::kDeny;
      outcome.error_code = code;
      outcome.error_description = message;
      outcome.debug = error.value("stack", "");
    } else {
      FailOutcome(outcome, outcome.failed_rule, message + "\n" + error.value("stack", ""));
    }
    return;
  }
  if (!outcome.context.is_object()) {
    return FailOutcome(outcome, "", "a rule called back with a context that is not an object");
  }
  outcome.id_token_claims =
      CustomClaims(outcome.context.value("idToken", nlohmann::json()), "idToken", false, outcome);
  outcome.access_token_claims = CustomClaims(outcome.context.value("accessToken", nlohmann::json()),
                                             "accessToken", true, outcome);
  outcome.kind = OutcomeKind::kContinue;
  const auto& redirect = outcome.context.value("redirect", nlohmann::json());
  if (redirect.is_object() && redirect.contains("url")) {
    if (input.protocol == "redirect-callback") {
      outcome.console.push_back(
          {"warn", "",
           "context.redirect ignored: one redirect per login (redirect-callback pass)"});
    } else if (redirect["url"].is_string()) {
      outcome.kind = OutcomeKind::kRedirect;
      outcome.redirect_url = redirect["url"].get<std::string>();
    } else {
      FailOutcome(outcome, "", "context.redirect.url is not a string");
    }
  }
}

}  // namespace gatehouse::rules
