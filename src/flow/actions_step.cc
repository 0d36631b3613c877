// RulesPipeline: the post-login actions that run after the rules (issue 11,
// Auth0 Actions). Rules first; then each bound action in order. An action
// that redirects pauses the pipeline; the flow stores RulesResult::action_pause
// with the transaction and, at /continue, ResumeActions runs that action's
// onContinuePostLogin and the actions after it (the rules do not run again,
// and the claims they set before the pause are kept).

#include <sstream>

#include "core/iso_time.h"
#include "core/logging.h"
#include "flow/rules_pipeline.h"

namespace gatehouse::flow {
namespace {

using nlohmann::json;
using Kind = oauth::LoginOutcome::Kind;

RulesResult ActionsError(const std::string& description) {
  RulesResult result;
  result.outcome.kind = Kind::kError;
  result.outcome.error = "server_error";
  result.outcome.error_description = description;
  return result;
}

json Words(const std::string& s) {
  json out = json::array();
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string Joined(const json& words) {
  std::string out;
  for (const auto& w : words) {
    if (!w.is_string()) continue;
    if (!out.empty()) out += ' ';
    out += w.get<std::string>();
  }
  return out;
}

// Applies a collected metadata patch (null deletes) to the user JSON, so the
// outcome's user matches what was written.
void ApplyPatch(json& user, const char* field, const json& patch) {
  if (!user.is_object() || !patch.is_object() || patch.empty()) return;
  if (!user[field].is_object()) user[field] = json::object();
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      user[field].erase(key);
    } else {
      user[field][key] = value;
    }
  }
}

// Writes the collected metadata once, user_metadata then app_metadata, through
// the same host callbacks (and merge) rules use.
void WriteMetadata(rules::HostCallbacks& host, const std::string& user_id, const json& user_patch,
                   const json& app_patch, std::function<void(Status)> done) {
  auto app = [&host, user_id, app_patch, done](Status status) {
    if (!status.ok() || !app_patch.is_object() || app_patch.empty()) return done(status);
    host.UpdateAppMetadata(user_id, app_patch, done);
  };
  if (!user_patch.is_object() || user_patch.empty()) return app(Status::Ok());
  host.UpdateUserMetadata(user_id, user_patch, std::move(app));
}

}  // namespace

json RulesPipeline::BuildEvent(const RulesRun& run, const json& user) const {
  json ctx = BuildContext(run);
  json methods = json::array();
  for (const auto& m : ctx["authentication"]["methods"]) {
    json method = m;
    if (m.contains("timestamp") && m["timestamp"].is_number_integer()) {
      method["timestamp"] = IsoTimeMs(m["timestamp"].get<int64_t>());
    }
    methods.push_back(std::move(method));
  }
  json event = {
      {"user", user},
      {"client",
       {{"client_id", run.client.client_id},
        {"name", run.client.name},
        {"metadata", ctx["clientMetadata"]}}},
      {"connection",
       {{"id", ctx["connectionID"]},
        {"name", ctx["connection"]},
        {"strategy", ctx["connectionStrategy"]}}},
      {"request",
       {{"ip", run.ip},
        {"hostname", run.hostname},
        {"user_agent", run.user_agent},
        {"query", ctx["request"]["query"]},
        {"body", ctx["request"]["body"]}}},
      {"transaction", {{"protocol", run.protocol}, {"requested_scopes", Words(run.scope)}}},
      {"stats", {{"logins_count", user.is_object() ? user.value("logins_count", 0) : 0}}},
      {"tenant", {{"id", options_.tenant}}},
      {"authentication", {{"methods", std::move(methods)}}},
      {"authorization", {{"roles", json::array()}}},
  };
  if (!run.session_id.empty()) event["session"] = {{"id", run.session_id}};
  if (!run.audience.empty()) event["resource_server"] = {{"identifier", run.audience}};
  return event;
}

void RulesPipeline::RunActionsAfterRules(RulesRun run, RulesResult after_rules,
                                         std::function<void(RulesResult)> done) {
  // A rule redirect pauses first: the actions run after the rules' second pass.
  if (after_rules.outcome.kind != Kind::kContinue || after_rules.redirect_url) {
    return done(std::move(after_rules));
  }
  auto actions = options_.actions();
  if (!actions.ok()) {
    log::Error("actions_source_failed", {{"error", actions.status().ToString()}});
    return done(ActionsError("The login actions could not be loaded."));
  }
  if (actions->empty()) return done(std::move(after_rules));
  RunActionsFrom(std::move(run), std::move(after_rules), nullptr, std::move(actions).value(), 0,
                 std::move(done));
}

void RulesPipeline::ResumeActions(RulesRun run, const json& pause,
                                  std::function<void(RulesResult)> done) {
  auto actions = options_.actions
                     ? options_.actions()
                     : Result<std::vector<rules::Action>>(std::vector<rules::Action>{});
  if (!actions.ok()) {
    log::Error("actions_source_failed", {{"error", actions.status().ToString()}});
    return done(ActionsError("The login actions could not be loaded."));
  }
  std::string id = pause.is_object() ? pause.value("action_id", "") : "";
  size_t index = actions->size();
  for (size_t i = 0; i < actions->size(); ++i) {
    if ((*actions)[i].id == id) index = i;
  }
  if (index == actions->size()) {
    log::Warn("actions_resume_unbound", {{"action_id", id}});
    return done(ActionsError("The action that paused this login is no longer bound."));
  }
  RulesResult base;
  base.outcome.kind = Kind::kContinue;
  base.outcome.user = pause.value("user", run.user);
  base.outcome.id_token_claims = pause.value("id_token_claims", json::object());
  base.outcome.access_token_claims = pause.value("access_token_claims", json::object());
  base.outcome.scope = pause.value("scope", run.scope);
  base.context = nullptr;
  RunActionsFrom(std::move(run), std::move(base), pause, std::move(actions).value(), index,
                 std::move(done));
}

void RulesPipeline::RunActionsFrom(RulesRun run, RulesResult base, const json& pause,
                                   std::vector<rules::Action> actions, size_t start,
                                   std::function<void(RulesResult)> done) {
  rules::ActionsInput input;
  input.tenant = options_.tenant;
  input.event = BuildEvent(run, base.outcome.user);
  input.start = start;
  input.resume = !pause.is_null();
  input.can_redirect = run.protocol == "oidc-basic-profile" || run.protocol == "redirect-callback";
  input.state = run.redirect_state;
  input.resume_state = run.resume_state;
  input.issuer = run.issuer;
  input.scope = base.outcome.scope;
  input.collected = pause.is_object() ? pause.value("collected", json::object()) : json::object();
  std::vector<std::string> ids;
  for (const auto& a : actions) ids.push_back(a.id);
  engine_.RunActions(
      std::move(actions), std::move(input), host_,
      [this, run = std::move(run), base = std::move(base), ids = std::move(ids),
       done = std::move(done)](rules::ActionsOutcome outcome) mutable {
        for (const auto& line : outcome.console) {
          storage::LogEvent event = RunLogEvent(run, "gh_action_console", line.text);
          json details = {{"level", line.level}, {"action", line.rule}, {"protocol", run.protocol}};
          if (!run.transaction_id.empty()) details["transaction"] = run.transaction_id;
          event.details = details.dump();
          log_.Emit(std::move(event));
        }
        RulesResult result = std::move(base);
        oauth::LoginOutcome& out = result.outcome;
        const json& c = outcome.collected;
        switch (outcome.kind) {
          case rules::OutcomeKind::kDeny:
            out.kind = Kind::kDeny;
            out.error = outcome.error_code.empty() ? "access_denied" : outcome.error_code;
            out.error_description = outcome.error_description;
            log::Info("actions_denied", {{"action", outcome.failed_action}, {"error", out.error}});
            return done(std::move(result));
          case rules::OutcomeKind::kError:
            log::Warn("actions_failed",
                      {{"action", outcome.failed_action}, {"debug", outcome.debug}});
            return done(ActionsError("An action failed to run."));
          case rules::OutcomeKind::kRedirect:
            result.redirect_url = outcome.redirect_url;
            result.redirect_state = run.redirect_state;
            result.action_pause = {
                {"action_id", outcome.index < ids.size() ? ids[outcome.index] : ""},
                {"collected", c},
                {"user", out.user},
                {"id_token_claims", out.id_token_claims},
                {"access_token_claims", out.access_token_claims},
                {"scope", out.scope}};
            return done(std::move(result));
          case rules::OutcomeKind::kContinue: break;
        }
        if (c.contains("idToken") && c["idToken"].is_object()) {
          out.id_token_claims.update(c["idToken"]);
        }
        if (c.contains("accessToken") && c["accessToken"].is_object()) {
          out.access_token_claims.update(c["accessToken"]);
        }
        // Actions may only narrow what the rules left (SPEC §4.4 holds for both).
        if (c.contains("scope") && c["scope"].is_array()) {
          out.scope = NarrowScope(out.scope, Joined(c["scope"]));
        }
        json user_patch = c.value("userMetadata", json::object());
        json app_patch = c.value("appMetadata", json::object());
        ApplyPatch(out.user, "user_metadata", user_patch);
        ApplyPatch(out.user, "app_metadata", app_patch);
        std::string user_id = out.user.is_object() ? out.user.value("user_id", "") : "";
        if (user_id.empty()) return done(std::move(result));
        auto shared_done = std::make_shared<std::function<void(RulesResult)>>(std::move(done));
        auto shared_result = std::make_shared<RulesResult>(std::move(result));
        WriteMetadata(host_, user_id, user_patch, app_patch,
                      [shared_done, shared_result](Status status) {
                        if (!status.ok()) {
                          log::Warn("actions_metadata_failed", {{"error", status.ToString()}});
                          return (*shared_done)(ActionsError("The user could not be updated."));
                        }
                        (*shared_done)(std::move(*shared_result));
                      });
      });
}

}  // namespace gatehouse::flow
