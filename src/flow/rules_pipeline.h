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
#include "rules/action.h"
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

// Reads the deployed actions bound to the post-login trigger, in binding
// order (storage in the server). An error fails the login with server_error.
using ActionsSource = std::function<Result<std::vector<rules::Action>>()>;

struct RulesPipelineOptions {
  std::string tenant = "default";
  std::string auth0_domain;  // what auth0.domain shows rules ("" = the login's host)
  // What rules' fetch / request / axios go through; nullptr = refused. Must
  // outlive the pipeline.
  http::OutboundClient* outbound = nullptr;
  // Post-login actions run after the rules (actions_step.cc); empty = none.
  ActionsSource actions;
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
  // An upstream login (connections): context.connection / connectionStrategy
  // and a "federated" authentication method; "" = the database connection.
  std::string connection, connection_strategy, connection_id;
  nlohmann::json query = nlohmann::json::object();  // context.request.query
  nlohmann::json body = nlohmann::json::object();   // context.request.body
  // The login transaction ("" for the token grants): the tenant log's
  // "gh_rules" event carries it so one login's journey can be found.
  std::string transaction_id;
  // Actions (actions_step.cc): the /continue state a redirect of this pass
  // will use (encodeToken binds tokens to it; "" on back-channel grants), the
  // state the browser came back with (validateToken checks it on resume), and
  // the issuer encodeToken names.
  std::string redirect_state, resume_state, issuer;
};

// A tenant log event about `run` (client, user, ip, hostname, connection
// filled in); the caller sets details.
storage::LogEvent RunLogEvent(const RulesRun& run, std::string type, std::string description);

struct RulesResult {
  oauth::LoginOutcome outcome;              // kContinue, kDeny or kError
  std::optional<std::string> redirect_url;  // set: a rule redirected (outcome is kContinue)
  nlohmann::json context;                   // the context after the last rule
  // Set when an action (not a rule) redirected: where the pipeline paused and
  // what it carries to the action's onContinuePostLogin. The flow stores it
  // in Transaction::resume["action"] and hands it to ResumeActions.
  nlohmann::json action_pause;
  std::string redirect_state;  // the state the action's tokens are bound to
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

  // Resumes a login an action paused (`pause` = RulesResult::action_pause):
  // runs that action's onContinuePostLogin, then the actions after it; the
  // rules do not run again. `done` as for RunRules.
  void ResumeActions(RulesRun run, const nlohmann::json& pause,
                     std::function<void(RulesResult)> done);

 private:
  // After the rules: runs the actions from the start (actions_step.cc).
  void RunActionsAfterRules(RulesRun run, RulesResult after_rules,
                            std::function<void(RulesResult)> done);
  void RunActionsFrom(RulesRun run, RulesResult base, const nlohmann::json& pause,
                      std::vector<rules::Action> actions, size_t start,
                      std::function<void(RulesResult)> done);
  // Auth0's post-login event for `run` and the user after the rules.
  nlohmann::json BuildEvent(const RulesRun& run, const nlohmann::json& user) const;

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
