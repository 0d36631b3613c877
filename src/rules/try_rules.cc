#include "rules/try_rules.h"

namespace gatehouse::rules {

Result<TryResult> TryRules(Engine& engine, const std::vector<Rule>& rules, ExecutionInput input) {
  for (const auto& rule : rules) {
    Status compiled = engine.Compile(rule);
    if (!compiled.ok()) {
      return InvalidArgument("rule \"" + rule.name + "\" does not compile: " + compiled.message());
    }
  }
  RecordingHostCallbacks host;
  TryResult result;
  result.outcome = engine.RunSync(rules, std::move(input), host);
  result.metadata_updates = host.calls();
  result.outbound_calls = host.fetches();
  return result;
}

nlohmann::json TryResultToJson(const TryResult& result) {
  const Outcome& o = result.outcome;
  nlohmann::json out = {{"outcome", OutcomeKindName(o.kind)},
                        {"user", o.user},
                        {"context", o.context},
                        {"idTokenClaims", o.id_token_claims},
                        {"accessTokenClaims", o.access_token_claims}};
  if (o.redirect_url) out["redirect"] = *o.redirect_url;
  if (!o.error_code.empty()) {
    out["error"] = o.error_code;
    out["error_description"] = o.error_description;
    out["debug"] = o.debug;
    out["failed_rule"] = o.failed_rule;
  }
  nlohmann::json console = nlohmann::json::array();
  for (const auto& line : o.console) {
    console.push_back({{"level", line.level}, {"rule", line.rule}, {"text", line.text}});
  }
  out["console"] = console;
  nlohmann::json timings = nlohmann::json::array();
  for (const auto& t : o.timings) timings.push_back({{"rule", t.rule}, {"us", t.elapsed.count()}});
  out["timings"] = timings;
  nlohmann::json updates = nlohmann::json::array();
  for (const auto& c : result.metadata_updates) {
    updates.push_back({{"kind", c.kind}, {"user_id", c.user_id}, {"patch", c.patch}});
  }
  out["metadata_updates"] = updates;
  nlohmann::json outbound = nlohmann::json::array();
  for (const auto& f : result.outbound_calls) {
    outbound.push_back({{"method", f.method}, {"url", f.url}});
  }
  out["outbound_calls"] = outbound;
  return out;
}

}  // namespace gatehouse::rules
