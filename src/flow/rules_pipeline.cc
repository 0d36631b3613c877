#include "flow/rules_pipeline.h"

#include <sstream>

#include "core/logging.h"

namespace gatehouse::flow {
namespace {

using nlohmann::json;
using Kind = oauth::LoginOutcome::Kind;

constexpr const char* kConnection = "Username-Password-Authentication";
constexpr const char* kConnectionId = "con_gatehouse_database";

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

oauth::LoginOutcome ServerError(const std::string& description) {
  oauth::LoginOutcome out;
  out.kind = Kind::kError;
  out.error = "server_error";
  out.error_description = description;
  return out;
}

}  // namespace

storage::LogEvent RunLogEvent(const RulesRun& run, std::string type, std::string description) {
  storage::LogEvent event;
  event.type = std::move(type);
  event.description = std::move(description);
  event.client_id = run.client.client_id;
  event.client_name = run.client.name;
  event.user_id = run.user.value("user_id", "");
  event.ip = run.ip;
  event.hostname = run.hostname;
  event.connection = run.connection.empty() ? kConnection : run.connection;
  return event;
}

std::string NarrowScope(const std::string& granted, const std::string& narrowed) {
  std::vector<std::string> keep = Words(narrowed);
  std::string out;
  for (const auto& w : Words(granted)) {
    if (std::find(keep.begin(), keep.end(), w) == keep.end()) continue;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

RulesPipeline::RulesPipeline(rules::Engine& engine, RulesSource source,
                             accounts::UserService& users, Clock& clock, const TenantLog& log,
                             RulesPipelineOptions options)
    : engine_(engine),
      source_(std::move(source)),
      clock_(clock),
      log_(log),
      options_(std::move(options)),
      host_(users, options_.outbound) {}

json RulesPipeline::BuildContext(const RulesRun& run) const {
  json context = {
      {"tenant", options_.tenant},
      {"clientID", run.client.client_id},
      {"clientName", run.client.name},
      {"clientMetadata",
       run.client.client_metadata.is_object() ? run.client.client_metadata : json::object()},
      {"connection", kConnection},
      {"connectionID", kConnectionId},
      {"connectionStrategy", "auth0"},
      {"protocol", run.protocol},
      {"stats", {{"loginsCount", run.user.value("logins_count", 0)}}},
      {"sso",
       {{"with_auth0", false},
        {"with_dbconn", !run.session_id.empty()},
        {"current_clients", json::array()}}},
      {"accessToken", json::object()},
      {"idToken", json::object()},
      {"sessionID", run.session_id},
      {"request",
       {{"userAgent", run.user_agent},
        {"ip", run.ip},
        {"hostname", run.hostname},
        {"query", run.query.is_object() ? run.query : json::object()},
        {"body", run.body.is_object() ? run.body : json::object()}}},
      {"authentication",
       {{"methods", json::array({{{"name", "pwd"}, {"timestamp", run.auth_time * 1000}}})}}},
      {"authorization", {{"roles", json::array()}}},
  };
  if (!run.original_protocol.empty()) context["original_protocol"] = run.original_protocol;
  if (!run.connection.empty()) {
    context["connection"] = run.connection;
    context["connectionStrategy"] = run.connection_strategy;
    context["connectionID"] = run.connection_id;
    context["authentication"]["methods"][0]["name"] = "federated";
  }
  if (!run.audience.empty()) context["request"]["query"]["audience"] = run.audience;
  if (!run.scope.empty() && !context["request"]["query"].contains("scope") &&
      run.protocol != "redirect-callback") {
    context["request"]["query"]["scope"] = run.scope;
  }
  return context;
}

void RulesPipeline::RunRules(RulesRun run, std::function<void(RulesResult)> done) {
  if (options_.actions) {
    // One pipeline: the rules, then the bound actions (actions_step.cc).
    done = [this, run, rules_done = std::move(done)](RulesResult result) mutable {
      RunActionsAfterRules(std::move(run), std::move(result), std::move(rules_done));
    };
  }
  auto snapshot = source_ ? source_() : Result<RulesSnapshot>(RulesSnapshot{});
  if (!snapshot.ok()) {
    log::Error("rules_source_failed", {{"error", snapshot.status().ToString()}});
    done(RulesResult{ServerError("The login rules could not be loaded."), std::nullopt, nullptr});
    return;
  }
  rules::ExecutionInput input;
  input.tenant = options_.tenant;
  input.user = run.user;
  input.context = BuildContext(run);
  input.configuration = std::move(snapshot->configuration);
  input.protocol = run.protocol;
  input.auth0_domain = options_.auth0_domain.empty() ? run.hostname : options_.auth0_domain;
  std::vector<rules::Rule> enabled;
  for (auto& rule : snapshot->rules) {
    if (rule.enabled) enabled.push_back(std::move(rule));
  }
  if (enabled.empty()) {
    RulesResult result;
    result.outcome.user = run.user;
    result.outcome.scope = run.scope;
    result.context = input.context;
    done(std::move(result));
    return;
  }
  engine_.Run(
      std::move(enabled), std::move(input), host_,
      [this, run = std::move(run), done = std::move(done)](rules::Outcome outcome) {
        {
          // One event per rules pass: each rule's run time and the outcome,
          // for the admin dashboard's login journey.
          storage::LogEvent event = RunLogEvent(
              run, "gh_rules", std::string("Rules ran: ") + rules::OutcomeKindName(outcome.kind));
          json timings = json::array();
          for (const auto& t : outcome.timings) {
            timings.push_back({{"rule", t.rule}, {"us", t.elapsed.count()}});
          }
          json details = {{"protocol", run.protocol},
                          {"outcome", rules::OutcomeKindName(outcome.kind)},
                          {"rules", std::move(timings)}};
          if (!run.transaction_id.empty()) details["transaction"] = run.transaction_id;
          if (outcome.redirect_url) details["redirect"] = *outcome.redirect_url;
          if (!outcome.error_code.empty()) {
            details["error"] = outcome.error_code;
            details["failed_rule"] = outcome.failed_rule;
          }
          event.details = details.dump();
          log_.Emit(std::move(event));
        }
        for (const auto& line : outcome.console) {
          storage::LogEvent event = RunLogEvent(run, "gh_rule_console", line.text);
          json console_details =
              json{{"level", line.level}, {"rule", line.rule}, {"protocol", run.protocol}};
          if (!run.transaction_id.empty()) console_details["transaction"] = run.transaction_id;
          event.details = console_details.dump();
          log_.Emit(std::move(event));
        }
        if (run.protocol == "redirect-callback" && outcome.context.is_object() &&
            outcome.context.contains("redirect")) {
          // SPEC §3.2: one redirect per login; the second pass's is dropped.
          log::Warn("rules_redirect_ignored", {{"client_id", run.client.client_id},
                                               {"user_id", run.user.value("user_id", "")}});
        }
        RulesResult result;
        result.context = outcome.context;
        oauth::LoginOutcome& out = result.outcome;
        switch (outcome.kind) {
          case rules::OutcomeKind::kDeny:
            out.kind = Kind::kDeny;
            out.error = outcome.error_code.empty() ? "access_denied" : outcome.error_code;
            out.error_description = outcome.error_description;
            log::Info("rules_denied", {{"rule", outcome.failed_rule}, {"error", out.error}});
            done(std::move(result));
            return;
          case rules::OutcomeKind::kError:
            result.outcome = ServerError("A rule failed to run.");
            log::Warn("rules_failed", {{"rule", outcome.failed_rule}, {"debug", outcome.debug}});
            done(std::move(result));
            return;
          case rules::OutcomeKind::kRedirect: result.redirect_url = outcome.redirect_url; break;
          case rules::OutcomeKind::kContinue: break;
        }
        out.kind = Kind::kContinue;
        out.user = outcome.user.is_object() ? outcome.user : run.user;
        out.id_token_claims = outcome.id_token_claims;
        out.access_token_claims = outcome.access_token_claims;
        out.scope = run.scope;
        if (auto it = out.access_token_claims.find("scope"); it != out.access_token_claims.end()) {
          if (it->is_string()) out.scope = NarrowScope(run.scope, it->get<std::string>());
          out.access_token_claims.erase(it);
        }
        done(std::move(result));
      });
}

void RulesPipeline::Run(oauth::LoginRequest request,
                        std::function<void(oauth::LoginOutcome)> done) {
  RulesRun run;
  run.protocol = request.protocol;
  run.client = std::move(request.client);
  run.user = std::move(request.user);
  run.scope = std::move(request.scope);
  run.audience = std::move(request.audience);
  run.auth_time = clock_.NowSeconds();
  run.ip = std::move(request.ip);
  run.user_agent = std::move(request.user_agent);
  run.hostname = std::move(request.hostname);
  RunRules(std::move(run), [done = std::move(done)](RulesResult result) {
    if (result.redirect_url && result.outcome.kind == Kind::kContinue) {
      // SPEC §3.4: a back-channel grant cannot send a browser anywhere.
      oauth::LoginOutcome refused;
      refused.kind = Kind::kInteractionRequired;
      refused.error = "interaction_required";
      refused.error_description = "A rule requires user interaction.";
      done(std::move(refused));
      return;
    }
    done(std::move(result.outcome));
  });
}

}  // namespace gatehouse::flow
