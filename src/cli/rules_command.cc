// `gatehouse rules test <file.js|dir> [--user u.json] [--context c.json]
//  [--config KEY=VALUE]... [--protocol P] [--json]`: Auth0's "Try this rule"
// on the command line. Runs nothing against a server and writes nothing:
// auth0.users.* calls are recorded and shown, not made.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "rules/try_rules.h"
#include "server/rules_engine_factory.h"
#include "server/services.h"

namespace gatehouse::cli {
namespace {

struct RulesTestOptions {
  std::string path;
  std::string user_file;
  std::string context_file;
  std::vector<std::string> config;
  std::string protocol = "oidc-basic-profile";
  std::string tenant = "default";
  bool json = false;
};

// The fixture Auth0's rule editor uses when none is given, give or take names.
nlohmann::json DefaultUser() {
  return {{"user_id", "auth0|5f7c8ec7c33c6c004bbafe82"},
          {"email", "jane.doe@example.com"},
          {"email_verified", true},
          {"name", "Jane Doe"},
          {"given_name", "Jane"},
          {"family_name", "Doe"},
          {"nickname", "jane.doe"},
          {"picture", "https://example.com/jane.png"},
          {"created_at", "2026-01-01T00:00:00.000Z"},
          {"updated_at", "2026-01-01T00:00:00.000Z"},
          {"logins_count", 1},
          {"identities",
           {{{"provider", "auth0"},
             {"connection", "Username-Password-Authentication"},
             {"user_id", "5f7c8ec7c33c6c004bbafe82"},
             {"isSocial", false}}}},
          {"user_metadata", nlohmann::json::object()},
          {"app_metadata", nlohmann::json::object()}};
}

nlohmann::json DefaultContext(const RulesTestOptions& opt) {
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return {{"tenant", opt.tenant},
          {"clientID", "try-this-rule"},
          {"clientName", "Default App"},
          {"clientMetadata", nlohmann::json::object()},
          {"connection", "Username-Password-Authentication"},
          {"connectionID", "con_default"},
          {"connectionStrategy", "auth0"},
          {"protocol", opt.protocol},
          {"stats", {{"loginsCount", 1}}},
          {"sso",
           {{"with_auth0", false},
            {"with_dbconn", false},
            {"current_clients", nlohmann::json::array()}}},
          {"accessToken", nlohmann::json::object()},
          {"idToken", nlohmann::json::object()},
          {"sessionID", "try-this-rule-session"},
          {"request",
           {{"userAgent", "gatehouse-cli"},
            {"ip", "127.0.0.1"},
            {"hostname", "127.0.0.1"},
            {"query", nlohmann::json::object()},
            {"body", nlohmann::json::object()}}},
          {"authentication", {{"methods", {{{"name", "pwd"}, {"timestamp", now_ms}}}}}},
          {"authorization", {{"roles", nlohmann::json::array()}}}};
}

Result<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<nlohmann::json> ReadJsonObject(const std::string& file) {
  GH_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument(file + ": not a JSON object");
  return j;
}

// A rule name from a file name: "10-add-claims.js" -> "10-add-claims".
std::string RuleName(const std::filesystem::path& p) {
  std::string stem = p.stem().string();
  for (char& c : stem) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '-')) c = '-';
  }
  return stem;
}

// One file, or every *.js of a directory in name order.
Result<std::vector<rules::Rule>> LoadRules(const std::string& path) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".js") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return InvalidArgument(path + ": no .js files");
  } else {
    files.push_back(path);
  }
  std::vector<rules::Rule> out;
  for (size_t i = 0; i < files.size(); ++i) {
    GH_ASSIGN_OR_RETURN(std::string script, ReadFile(files[i]));
    out.push_back({.id = "rul_" + std::to_string(i + 1),
                   .name = RuleName(files[i]),
                   .script = std::move(script),
                   .order = static_cast<int>(i + 1),
                   .enabled = true});
  }
  return out;
}

void PrintHuman(const nlohmann::json& r) {
  std::printf("outcome: %s\n", r.value("outcome", "").c_str());
  if (r.contains("error")) {
    std::printf("error:   %s: %s\n", r.value("error", "").c_str(),
                r.value("error_description", "").c_str());
    std::printf("rule:    %s\n  %s\n", r.value("failed_rule", "").c_str(),
                r.value("debug", "").c_str());
  }
  if (r.contains("redirect")) std::printf("redirect: %s\n", r.value("redirect", "").c_str());
  for (const char* section :
       {"idTokenClaims", "accessTokenClaims", "metadata_updates", "outbound_calls", "user"}) {
    if (r.contains(section) && !r[section].empty())
      std::printf("%s:\n%s\n", section, r[section].dump(2).c_str());
  }
  for (const auto& line : r.value("console", nlohmann::json::array())) {
    std::printf("console.%s [%s] %s\n", line.value("level", "").c_str(),
                line.value("rule", "").c_str(), line.value("text", "").c_str());
  }
  for (const auto& t : r.value("timings", nlohmann::json::array())) {
    std::printf("timing  [%s] %s us\n", t.value("rule", "").c_str(), t["us"].dump().c_str());
  }
}

int RunRulesTest(const RulesTestOptions& opt) {
  auto rules = LoadRules(opt.path);
  if (!rules.ok()) return Fail(rules.status().message());
  rules::ExecutionInput input;
  input.tenant = opt.tenant;
  input.protocol = opt.protocol;
  input.auth0_domain = "127.0.0.1";
  if (opt.user_file.empty()) {
    input.user = DefaultUser();
  } else {
    auto user = ReadJsonObject(opt.user_file);
    if (!user.ok()) return Fail(user.status().message());
    input.user = *user;
  }
  input.context = DefaultContext(opt);
  if (!opt.context_file.empty()) {
    auto context = ReadJsonObject(opt.context_file);
    if (!context.ok()) return Fail(context.status().message());
    input.context.update(*context);  // the fixture's keys win, defaults fill the rest
  }
  for (const auto& kv : opt.config) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return Fail("--config expects KEY=VALUE, got " + kv);
    input.configuration[kv.substr(0, eq)] = kv.substr(eq + 1);
  }

  auto engine = server::CreateRulesEngine(
      {.threads = 1, .node_modules_dir = server::RulesNodeModulesDir("")});
  if (!engine.ok()) return Fail(engine.status().ToString());
  auto result = rules::TryRules(**engine, *rules, std::move(input));
  if (!result.ok()) return Fail(result.status().message());
  nlohmann::json out = rules::TryResultToJson(*result);
  if (opt.json) {
    std::printf("%s\n", out.dump().c_str());
  } else {
    PrintHuman(out);
  }
  return 0;
}

// `gatehouse rules create|list|delete --data-dir DIR`: the rules the server
// runs, stored as the Management API stores them (same checks: name, compile).
struct RulesStoreOptions {
  std::string data_dir;
  std::string name, file, id;
  int order = 0;
  bool disabled = false;
  bool json = false;
};

Result<std::unique_ptr<server::Services>> OpenData(const std::string& data_dir) {
  auto cfg = config::Load(std::filesystem::absolute(data_dir).lexically_normal().string(),
                          config::ProcessEnvironment());
  if (!cfg.ok()) return cfg.status();
  return server::OpenServices(*cfg);
}

nlohmann::json RuleJson(const storage::RuleRecord& r) {
  return {{"id", r.id},       {"name", r.name},       {"script", r.script},
          {"order", r.order}, {"enabled", r.enabled}, {"stage", r.stage}};
}

int RunRulesCreate(const RulesStoreOptions& opt) {
  if (Status s = rules::ValidateRuleName(opt.name); !s.ok()) return Fail(s.message());
  auto script = ReadFile(opt.file);
  if (!script.ok()) return Fail(script.status().message());
  auto engine = server::CreateRulesEngine(
      {.threads = 1, .node_modules_dir = server::RulesNodeModulesDir("")});
  if (!engine.ok()) return Fail(engine.status().ToString());
  rules::Rule rule{.id = "new", .name = opt.name, .script = *script, .order = opt.order};
  if (Status s = (*engine)->Compile(rule); !s.ok()) return Fail(s.message());
  auto services = OpenData(opt.data_dir);
  if (!services.ok()) return Fail(services.status().message());
  storage::RuleRecord record;
  record.name = opt.name;
  record.script = *script;
  record.order = opt.order;
  record.enabled = !opt.disabled;
  auto created = (*services)->storage->rules().Create(record);
  if (!created.ok()) {
    return Fail(created.status().code() == ErrorCode::kAlreadyExists
                    ? "a rule named " + opt.name + " already exists"
                    : created.status().message());
  }
  if (opt.json) {
    std::printf("%s\n", RuleJson(*created).dump().c_str());
  } else {
    std::printf("created %s %s (order %d)\n", created->id.c_str(), created->name.c_str(),
                created->order);
  }
  return 0;
}

int RunRulesList(const RulesStoreOptions& opt) {
  auto services = OpenData(opt.data_dir);
  if (!services.ok()) return Fail(services.status().message());
  auto all = (*services)->storage->rules().List();
  if (!all.ok()) return Fail(all.status().message());
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *all) out.push_back(RuleJson(r));
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("%-22s %6s %-8s %s\n", "id", "order", "enabled", "name");
  for (const auto& r : *all) {
    std::printf("%-22s %6d %-8s %s\n", r.id.c_str(), r.order, r.enabled ? "yes" : "no",
                r.name.c_str());
  }
  return 0;
}

int RunRulesDelete(const RulesStoreOptions& opt) {
  auto services = OpenData(opt.data_dir);
  if (!services.ok()) return Fail(services.status().message());
  Status s = (*services)->storage->rules().Delete(opt.id);
  if (!s.ok()) return Fail(s.code() == ErrorCode::kNotFound ? "no rule " + opt.id : s.message());
  if (opt.json) {
    std::printf("%s\n", nlohmann::json({{"deleted", opt.id}}).dump().c_str());
  } else {
    std::printf("deleted %s\n", opt.id.c_str());
  }
  return 0;
}

void RegisterRulesStore(CLI::App* rules, int* exit_code) {
  auto opt = std::make_shared<RulesStoreOptions>();
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--data-dir", opt->data_dir, "the data directory (holds gatehouse.toml)")
        ->required();
    cmd->add_flag("--json", opt->json, "print JSON (the Management API rule shape)");
  };
  auto* create = rules->add_subcommand(
      "create", "Store a rule (name checked, script compiled first), enabled unless --disabled");
  common(create);
  create->add_option("--name", opt->name, "letters, digits, spaces and '-'")->required();
  create->add_option("--file", opt->file, "the rule's .js file")->required();
  create->add_option("--order", opt->order, "lower runs first")->capture_default_str();
  create->add_flag("--disabled", opt->disabled, "store it disabled");
  create->callback([opt, exit_code] { *exit_code = RunRulesCreate(*opt); });

  auto* list = rules->add_subcommand("list", "List stored rules in the order they run");
  common(list);
  list->callback([opt, exit_code] { *exit_code = RunRulesList(*opt); });

  auto* del = rules->add_subcommand("delete", "Delete a stored rule");
  common(del);
  del->add_option("rule_id", opt->id, "the rule's id (rul_...)")->required();
  del->callback([opt, exit_code] { *exit_code = RunRulesDelete(*opt); });
}

}  // namespace

void RegisterRules(CLI::App& app, int* exit_code) {
  auto* rules = app.add_subcommand("rules", "Create, list, delete and try rules");
  rules->require_subcommand(1);
  RegisterRulesStore(rules, exit_code);
  auto opt = std::make_shared<RulesTestOptions>();
  auto* test = rules->add_subcommand(
      "test",
      "Run a rule file (or a directory of rules, in name order) against a fixture and print "
      "the outcome, claims, changed user and console output; nothing is written");
  test->add_option("path", opt->path, "rule file (.js) or directory")->required();
  test->add_option("--user", opt->user_file, "user JSON file (default: a sample user)");
  test->add_option("--context", opt->context_file,
                   "context JSON file; its keys replace the sample context's");
  test->add_option("--config", opt->config, "rule setting KEY=VALUE (repeatable)");
  test->add_option("--protocol", opt->protocol, "context.protocol")
      ->check(CLI::IsMember(
          {"oidc-basic-profile", "oauth2-password", "oauth2-refresh-token", "redirect-callback"}))
      ->capture_default_str();
  test->add_option("--tenant", opt->tenant, "context.tenant")->capture_default_str();
  test->add_flag("--json", opt->json, "print one JSON object");
  test->callback([opt, exit_code] { *exit_code = RunRulesTest(*opt); });
}

}  // namespace gatehouse::cli
