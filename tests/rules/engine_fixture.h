#pragma once
// Shared helpers for the engine tests: one warm engine per test binary (a
// context per thread costs ~20 ms), rules from scripts, default fixtures.

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rules/engine.h"
#include "rules/spidermonkey/spidermonkey_engine.h"

namespace gatehouse::rules::testing {

inline EngineOptions TestOptions() {
  EngineOptions options;
  options.threads = 2;
  options.pipeline_timeout = std::chrono::milliseconds(5000);
  options.node_modules_dir = GH_NODE_MODULES_DIR;
  // Tests time executions against each other (limits_test.cc): a context
  // created lazily inside one of them (slow under sanitizers) would skew that.
  options.eager_contexts = true;
  return options;
}

// The shared engine, joined at exit before the JS library's own statics go.
inline Engine& SharedEngine() {
  static std::unique_ptr<Engine> engine = [] {
    auto created = CreateSpiderMonkeyEngine(TestOptions());
    if (!created.ok()) {
      ADD_FAILURE() << created.status().ToString();
      std::abort();
    }
    return std::move(created).value();
  }();
  return *engine;
}

inline Rule MakeRule(std::string script, std::string name = "test rule", int order = 0) {
  Rule rule;
  rule.id = "rul_" + name;
  rule.name = std::move(name);
  rule.script = std::move(script);
  rule.order = order;
  return rule;
}

inline nlohmann::json DefaultUser() {
  return {{"user_id", "auth0|u1"},
          {"email", "ada@example.com"},
          {"email_verified", true},
          {"user_metadata", nlohmann::json::object()},
          {"app_metadata", nlohmann::json::object()}};
}

inline ExecutionInput DefaultInput(std::string tenant = "t1") {
  ExecutionInput input;
  input.tenant = std::move(tenant);
  input.user = DefaultUser();
  input.context = {{"clientID", "client-1"},
                   {"clientName", "App"},
                   {"stats", {{"loginsCount", 3}}},
                   {"request", {{"ip", "192.0.2.1"}, {"query", nlohmann::json::object()}}}};
  input.auth0_domain = "login.example.com";
  input.auth0_access_token = "mgmt-token";
  return input;
}

// Runs the scripts (in the order given) with `input` on `engine`.
inline Outcome RunScripts(Engine& engine, const std::vector<std::string>& scripts,
                          ExecutionInput input, HostCallbacks* host = nullptr) {
  std::vector<Rule> rules;
  for (size_t i = 0; i < scripts.size(); ++i) {
    rules.push_back(MakeRule(scripts[i], "rule " + std::to_string(i + 1), static_cast<int>(i)));
  }
  RecordingHostCallbacks recording;
  return engine.RunSync(std::move(rules), std::move(input), host ? *host : recording);
}

inline Outcome RunScript(const std::string& script, ExecutionInput input = DefaultInput()) {
  return RunScripts(SharedEngine(), {script}, std::move(input));
}

// Debug text for assertion messages.
inline std::string Describe(const Outcome& o) {
  std::string s = std::string(OutcomeKindName(o.kind)) + " " + o.error_code + ": " +
                  o.error_description + " | " + o.debug;
  for (const auto& line : o.console) s += "\n  [" + line.level + "] " + line.text;
  return s;
}

}  // namespace gatehouse::rules::testing
