#pragma once
// What the host hands the engine for one login, and what it gets back.

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gatehouse::rules {

struct ExecutionInput {
  std::string tenant;      // selects the JS global (realm); never shared across tenants
  nlohmann::json user;     // the full profile (SPEC §5.1)
  nlohmann::json context;  // SPEC §4.5 shape; `tenant` and `protocol` are filled in from below
  std::map<std::string, std::string> configuration;  // rule settings, read-only to rules
  // "oidc-basic-profile" | "oauth2-password" | "oauth2-refresh-token" | "redirect-callback"
  std::string protocol = "oidc-basic-profile";
  // What `auth0.domain`, `auth0.baseUrl` and `auth0.accessToken` show rules.
  std::string auth0_domain;
  std::string auth0_access_token;
};

enum class OutcomeKind {
  kContinue,  // every rule called back without error and none left a redirect
  kRedirect,  // context.redirect.url was set after the last rule (validated by the host, §3.1)
  kDeny,      // a rule called back with an error (error_code unauthorized / access_denied)
  kError,     // timeout, memory cap, compile error, broken rule: error_code server_error
};

// "continue", "redirect", "deny", "error".
const char* OutcomeKindName(OutcomeKind kind);

struct ConsoleLine {
  std::string level;  // "log" | "info" | "warn" | "error"
  std::string rule;   // name of the rule that was running (empty for engine notes)
  std::string text;
};

struct RuleTiming {
  std::string rule;
  std::chrono::microseconds elapsed{0};
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kError;
  nlohmann::json user;     // after the last rule that ran
  nlohmann::json context;  // after the last rule that ran (includes redirect, idToken, ...)
  nlohmann::json id_token_claims = nlohmann::json::object();
  nlohmann::json access_token_claims = nlohmann::json::object();
  std::optional<std::string> redirect_url;
  std::string error_code;         // "unauthorized" | "access_denied" | "server_error"
  std::string error_description;  // safe to show the client
  std::string debug;              // for logs only (stack, limit hit, rule name)
  std::string failed_rule;        // name of the rule that denied or failed, if any
  std::vector<ConsoleLine> console;
  std::vector<RuleTiming> timings;
  // Time the worker spent on the whole execution (not the queue wait).
  std::chrono::microseconds elapsed{0};
};

}  // namespace gatehouse::rules
