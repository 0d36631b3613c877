#pragma once
// The rules step of every login (SPEC §2.3, §4): builds the §4.5 context,
// runs the enabled rules on the engine and turns the outcome into what the
// caller acts on. It decides nothing about HTTP: the browser flow redirects or
// resumes, the token grants refuse a redirect (SPEC §3.4).

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/user_service.h"
#include "core/clock.h"
#include "core/status.h"
#include "flow/metadata_host_callbacks.h"
#include "flow/tenant_log.h"
#include "oauth/login_pipeline.h"
#include "rules/engine.h"
#include "rules/rule.h"

namespace gatehouse::flow {

// The rules and rule settings a login runs with, read once per login.
struct RulesSnapshot {
  std::vector<rules::Rule> rules;  // disabled ones are skipped
  std::map<std::string, std::string> configuration;
};
// Reads the current rules (storage.rules() in the server). An error fails the
// login with server_error.
using RulesSource = std::function<Result<RulesSnapshot>()>;

struct RulesPipelineOptions {
  std::string tenant = "default";
  std::string auth0_domain;  // what auth0.domain shows rules ("" = the login's host)
};

// One run of the rules.
struct RulesRun {
  std::string protocol;           // oidc-basic-profile | oauth2-password | ... | redirect-callback
  std::string original_protocol;  // set on redirect-callback
  oauth::Client client;
  nlohmann::json user;  // accounts::User::ToJson()
  std::string scope;    // granted (requested) scopes, space separated
  std::string audience;
  std::string session_id;
  int64_t auth_time = 0;  // unix seconds of the password proof
  std::string ip, user_agent, hostname;
  nlohmann::json query = nlohmann::json::object();  // context.request.query
  nlohmann::json body = nlohmann::json::object();   // context.request.body
  // The login transaction ("" for the token grants): the tenant log's
  // "gh_rules" event carries it so one login's journey can be found.
  std::string transaction_id;
};

struct RulesResult {
  oauth::LoginOutcome outcome;              // kContinue, kDeny or kError
  std::optional<std::string> redirect_url;  // set: a rule redirected (outcome is kContinue)
  nlohmann::json context;                   // the context after the last rule
};

// Thread-safe. Implements oauth::LoginPipeline for the token grants: a
// redirect there is kInteractionRequired (no token).
class RulesPipeline final : public oauth::LoginPipeline {
 public:
  // All references must outlive the pipeline.
  RulesPipeline(rules::Engine& engine, RulesSource source, accounts::UserService& users,
                Clock& clock, const TenantLog& log, RulesPipelineOptions options = {});

  // The §4.5 context for `run` (without rules' changes).
  nlohmann::json BuildContext(const RulesRun& run) const;

  // Runs every enabled rule in order; `done` is called exactly once, on a rules
  // worker (or synchronously when there are no rules or the source fails).
  // Deny keeps the rule's code (unauthorized / access_denied); engine failures
  // become server_error with a generic description (the detail goes to the log).
  // Console lines go to the tenant log as gh_rule_console.
  void RunRules(RulesRun run, std::function<void(RulesResult)> done);

  void Run(oauth::LoginRequest request, std::function<void(oauth::LoginOutcome)> done) override;

 private:
  rules::Engine& engine_;
  RulesSource source_;
  Clock& clock_;
  const TenantLog& log_;
  RulesPipelineOptions options_;
  MetadataHostCallbacks host_;
};

// The scopes of `granted` that also appear in `narrowed` (order of `granted`):
// rules may only narrow the scope (SPEC §4.4).
std::string NarrowScope(const std::string& granted, const std::string& narrowed);

}  // namespace gatehouse::flow
