// `gatehouse import auth0 <dir> --data-dir DIR [--users FILE] [--json]
//  [--dry-run]`: moves a tenant exported by the Auth0 Deploy CLI (directory
// format) into a data directory: rules/, rules-configs/, actions/,
// triggers/triggers.json, clients/, plus an Auth0 user export (--users).
// Every rule and action is compiled first, as `gatehouse rules create` and
// the Management API do. Re-running is safe: rules, rule settings and actions
// with an existing name are updated in place; clients with an existing name
// are skipped (updating would not give back the secret Auth0 never exports);
// users with an existing email are skipped.
// Exit code: 0 when every item was imported, 1 when any failed (each failure
// is reported with its reason), 2 for usage errors (CLI11, in main).

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "core/clock.h"
#include "oauth/client.h"
#include "rules/action.h"
#include "rules/rule.h"
#include "server/rules_engine_factory.h"
#include "server/services.h"
#include "storage/record_action_repo.h"

namespace gatehouse::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct ImportOptions {
  std::string dir;
  std::string data_dir;
  std::string users_file;
  bool json = false;
  bool dry_run = false;
};

// One line of the report. status: created, updated, skipped, failed.
struct Item {
  std::string kind, name, status, reason;
};

class Importer {
 public:
  Importer(const ImportOptions& opt, server::Services& services, rules::Engine& engine)
      : opt_(opt),
        services_(services),
        engine_(engine),
        actions_(storage::CreateRecordActionRepo(services.storage->records(), Clock::System())) {}

  void Run() {
    ImportRules();
    ImportRulesConfigs();
    ImportActions();
    ImportBindings();
    ImportClients();
    if (!opt_.users_file.empty()) ImportUsers();
  }

  bool AnyFailed() const {
    return std::any_of(items_.begin(), items_.end(),
                       [](const Item& i) { return i.status == "failed"; });
  }

  void Print() const {
    if (opt_.json) {
      json items = json::array();
      for (const auto& i : items_) {
        json j = {{"kind", i.kind}, {"name", i.name}, {"status", i.status}};
        if (!i.reason.empty()) j["reason"] = i.reason;
        items.push_back(j);
      }
      json out = {
          {"items", items}, {"clients", secrets_}, {"dry_run", opt_.dry_run}, {"ok", !AnyFailed()}};
      std::printf("%s\n", out.dump(2).c_str());
      return;
    }
    for (const auto& i : items_) {
      std::printf("%-8s %-13s %s%s%s\n", i.status.c_str(), i.kind.c_str(), i.name.c_str(),
                  i.reason.empty() ? "" : ": ", i.reason.c_str());
    }
    for (const auto& c : secrets_) {
      std::printf("client %s\n  client_id      %s\n", c["name"].get<std::string>().c_str(),
                  c["client_id"].get<std::string>().c_str());
      if (c.contains("client_secret")) {
        std::printf("  client_secret  %s\n  (new: Auth0 never exports secrets; shown once)\n",
                    c["client_secret"].get<std::string>().c_str());
      }
    }
    if (opt_.dry_run) std::printf("dry run: nothing was written\n");
  }

 private:
  void Add(std::string kind, std::string name, std::string status, std::string reason = "") {
    items_.push_back({std::move(kind), std::move(name), std::move(status), std::move(reason)});
  }
  const char* Created() const { return opt_.dry_run ? "would create" : "created"; }
  const char* Updated() const { return opt_.dry_run ? "would update" : "updated"; }

  static Result<std::string> ReadText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return InvalidArgument("cannot read " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  static Result<json> ReadJson(const fs::path& p) {
    GH_ASSIGN_OR_RETURN(std::string text, ReadText(p));
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return InvalidArgument("not a JSON object");
    return j;
  }

  // Files of `sub` with extension `ext`, in name order (none when absent).
  std::vector<fs::path> Files(const std::string& sub, const std::string& ext) const {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(opt_.dir) / sub, ec)) {
      if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The Deploy CLI writes file references ("./rules/x.js") relative to the
  // export root; older exports relative to the item's folder. Empty when the
  // value is not a reference to an existing file.
  fs::path Referenced(const std::string& value, const fs::path& folder) const {
    if (value.find('\n') != std::string::npos || value.size() > 4096) return {};
    std::error_code ec;
    for (const fs::path& base : {fs::path(opt_.dir), folder}) {
      fs::path p = base / value;
      if (fs::is_regular_file(p, ec)) return p;
    }
    return {};
  }

  void ImportRules() {
    // A rule is <stem>.json (name, enabled, order, script) and/or <stem>.js.
    std::set<std::string> stems;
    for (const auto& p : Files("rules", ".json")) stems.insert(p.stem().string());
    for (const auto& p : Files("rules", ".js")) stems.insert(p.stem().string());
    auto existing = services_.storage->rules().List();
    if (!existing.ok()) return Add("rule", "*", "failed", existing.status().message());
    std::set<std::string> seen;
    const fs::path folder = fs::path(opt_.dir) / "rules";
    for (const auto& stem : stems) {
      json meta = json::object();
      std::error_code ec;
      if (fs::exists(folder / (stem + ".json"), ec)) {
        auto j = ReadJson(folder / (stem + ".json"));
        if (!j.ok()) {
          Add("rule", stem, "failed", "rules/" + stem + ".json: " + j.status().message());
          continue;
        }
        meta = *j;
      }
      std::string name = meta.value("name", stem);
      fs::path script_file = folder / (stem + ".js");
      if (meta.contains("script") && meta["script"].is_string()) {
        fs::path ref = Referenced(meta["script"].get<std::string>(), folder);
        if (!ref.empty()) script_file = ref;
      }
      auto script = ReadText(script_file);
      if (!script.ok()) {
        Add("rule", name, "failed", "no script: " + script.status().message());
        continue;
      }
      if (Status s = rules::ValidateRuleName(name); !s.ok()) {
        Add("rule", name, "failed", s.message());
        continue;
      }
      if (!seen.insert(name).second) {
        Add("rule", name, "failed", "duplicate name in the export");
        continue;
      }
      storage::RuleRecord record;
      record.name = name;
      record.script = *script;
      record.order = meta.value("order", 0);
      record.enabled = meta.value("enabled", true);
      rules::Rule probe{.id = "import", .name = name, .script = *script, .order = record.order};
      if (Status s = engine_.Compile(probe); !s.ok()) {
        Add("rule", name, "failed", "does not compile: " + s.message());
        continue;
      }
      auto found = std::find_if(existing->begin(), existing->end(),
                                [&](const storage::RuleRecord& r) { return r.name == name; });
      if (found != existing->end()) {
        record.id = found->id;
        record.stage = found->stage;
        if (!opt_.dry_run) {
          auto u = services_.storage->rules().Update(record, found->version);
          if (!u.ok()) {
            Add("rule", name, "failed", u.status().message());
            continue;
          }
        }
        Add("rule", name, Updated());
        continue;
      }
      if (!opt_.dry_run) {
        auto c = services_.storage->rules().Create(record);
        if (!c.ok()) {
          Add("rule", name, "failed", c.status().message());
          continue;
        }
      }
      Add("rule", name, Created());
    }
  }

  void ImportRulesConfigs() {
    auto existing = services_.storage->rules().AllConfig();
    if (!existing.ok()) return Add("rules-config", "*", "failed", existing.status().message());
    for (const auto& p : Files("rules-configs", ".json")) {
      auto j = ReadJson(p);
      std::string key = j.ok() ? j->value("key", p.stem().string()) : p.stem().string();
      if (!j.ok()) {
        Add("rules-config", key, "failed", j.status().message());
        continue;
      }
      // Auth0 never exports the values; the Deploy CLI leaves them for the
      // operator to fill in (often as "##KEYWORD##" placeholders).
      if (!j->contains("value") || !(*j)["value"].is_string()) {
        Add("rules-config", key, "failed", "no string \"value\" (Auth0 does not export values)");
        continue;
      }
      bool update = existing->count(key) > 0;
      if (!opt_.dry_run) {
        if (Status s = services_.storage->rules().SetConfig(key, (*j)["value"].get<std::string>());
            !s.ok()) {
          Add("rules-config", key, "failed", s.message());
          continue;
        }
      }
      Add("rules-config", key, update ? Updated() : Created());
    }
  }

  // Fills `a` from an action file; the reason it cannot be imported otherwise.
  std::optional<std::string> ActionFromJson(const json& j, const std::string& stem,
                                            storage::ActionRecord& a) {
    const fs::path folder = fs::path(opt_.dir) / "actions";
    std::string code;
    fs::path file;
    if (j.contains("code") && j["code"].is_string()) {
      file = Referenced(j["code"].get<std::string>(), folder);
      if (file.empty()) code = j["code"].get<std::string>();
    }
    std::error_code ec;
    if (file.empty() && code.empty() && fs::is_regular_file(folder / stem / "code.js", ec)) {
      file = folder / stem / "code.js";
    }
    if (!file.empty()) {
      auto text = ReadText(file);
      if (!text.ok()) return text.status().message();
      code = *text;
    }
    if (code.empty()) return "no code (expected actions/" + stem + "/code.js)";
    if (j.contains("dependencies") && j["dependencies"].is_array()) {
      for (const auto& d : j["dependencies"]) {
        std::string dep =
            d.is_object() ? d.value("name", "?") + "@" + d.value("version", "?") : d.dump();
        return "unsupported npm dependency " + dep +
               " (per-action dependencies are not installed; require() resolves the server's "
               "shared node_modules)";
      }
    }
    if (j.contains("supported_triggers") && j["supported_triggers"].is_array()) {
      for (const auto& t : j["supported_triggers"]) {
        std::string id = t.is_object() ? t.value("id", "") : "";
        if (id != "post-login") return "unsupported trigger " + id + " (only post-login)";
      }
    }
    if (j.contains("secrets") && j["secrets"].is_array()) {
      std::map<std::string, std::string> secrets;
      for (const auto& s : j["secrets"]) {
        std::string name = s.is_object() ? s.value("name", "") : "";
        if (name.empty()) return "a secret without a name";
        if (s.contains("value") && s["value"].is_string()) {
          secrets[name] = s["value"].get<std::string>();
        } else if (auto kept = a.secrets.find(name); kept != a.secrets.end()) {
          secrets[name] = kept->second;
        } else {
          return "secret " + name + " has no value (Auth0 does not export values: add it)";
        }
      }
      a.secrets = std::move(secrets);
    }
    if (j.contains("runtime") && j["runtime"].is_string()) a.runtime = j["runtime"];
    a.code = code;
    rules::Rule probe{.id = "import", .name = a.name, .script = rules::ActionModuleFunction(code)};
    if (Status s = engine_.Compile(probe); !s.ok()) return "does not compile: " + s.message();
    if (j.value("deployed", false)) {
      a.deployed_code = a.code;
      a.deployed_secrets = a.secrets;
      a.deployed_version += 1;
    }
    return std::nullopt;
  }

  void ImportActions() {
    auto existing = actions_->List();
    if (!existing.ok()) return Add("action", "*", "failed", existing.status().message());
    std::set<std::string> seen;
    for (const auto& p : Files("actions", ".json")) {
      std::string stem = p.stem().string();
      auto j = ReadJson(p);
      if (!j.ok()) {
        Add("action", stem, "failed", j.status().message());
        continue;
      }
      std::string name = j->value("name", stem);
      if (name.empty() || name.size() > 255) {
        Add("action", name, "failed", "name must be 1 to 255 characters");
        continue;
      }
      if (!seen.insert(name).second) {
        Add("action", name, "failed", "duplicate name in the export");
        continue;
      }
      auto found = std::find_if(existing->begin(), existing->end(),
                                [&](const storage::ActionRecord& a) { return a.name == name; });
      storage::ActionRecord a;
      if (found != existing->end()) a = *found;
      a.name = name;
      if (auto why = ActionFromJson(*j, stem, a)) {
        Add("action", name, "failed", *why);
        continue;
      }
      if (a.deployed_version > 0) deployed_[name] = found != existing->end() ? found->id : "";
      if (opt_.dry_run) {
        Add("action", name, found != existing->end() ? Updated() : Created());
        continue;
      }
      auto stored =
          found != existing->end() ? actions_->Update(a, found->version) : actions_->Create(a);
      if (!stored.ok()) {
        Add("action", name, "failed", stored.status().message());
        continue;
      }
      if (stored->deployed_version > 0) deployed_[name] = stored->id;
      Add("action", name, found != existing->end() ? Updated() : Created());
    }
  }

  // triggers/triggers.json: {"post-login": [{"action_name": ..}, ..]} replaces
  // the post-login binding list (in that order).
  void ImportBindings() {
    fs::path file = fs::path(opt_.dir) / "triggers" / "triggers.json";
    std::error_code ec;
    if (!fs::exists(file, ec)) return;
    auto j = ReadJson(file);
    if (!j.ok()) return Add("trigger", "post-login", "failed", j.status().message());
    std::vector<std::string> ids;
    std::vector<std::string> names;
    for (const auto& b : j->value("post-login", json::array())) {
      std::string name = b.is_object() ? b.value("action_name", "") : "";
      auto it = deployed_.find(name);
      if (it == deployed_.end()) {
        auto all = actions_->List();
        const storage::ActionRecord* prior = nullptr;
        if (all.ok()) {
          for (const auto& a : *all) {
            if (a.name == name && a.deployed_version > 0) prior = &a;
          }
        }
        if (!prior) {
          return Add("trigger", "post-login", "failed",
                     "binds \"" + name + "\", which is not an imported, deployed action");
        }
        ids.push_back(prior->id);
      } else {
        ids.push_back(it->second);
      }
      names.push_back(name);
    }
    if (!opt_.dry_run) {
      if (Status s = actions_->SetBindings("post-login", ids); !s.ok()) {
        return Add("trigger", "post-login", "failed", s.message());
      }
    }
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    Add("trigger", "post-login", Updated(), "bound: " + list);
  }

  void ImportClients() {
    static const std::set<std::string> kGrants = {"authorization_code", "refresh_token",
                                                  "client_credentials", "password"};
    auto existing = services_.clients->List();
    if (!existing.ok()) return Add("client", "*", "failed", existing.status().message());
    std::set<std::string> names;
    for (const auto& c : *existing) names.insert(c.name);
    std::set<std::string> seen;
    for (const auto& p : Files("clients", ".json")) {
      auto j = ReadJson(p);
      std::string name = j.ok() ? j->value("name", p.stem().string()) : p.stem().string();
      if (!j.ok()) {
        Add("client", name, "failed", j.status().message());
        continue;
      }
      if (!seen.insert(name).second) {
        Add("client", name, "failed", "duplicate name in the export");
        continue;
      }
      if (names.count(name)) {
        Add("client", name, "skipped", "a client with this name exists; kept as it is");
        continue;
      }
      oauth::Client spec;
      spec.name = name;
      spec.app_type = j->value("app_type", "regular_web");
      auto strings = [&](const char* key) {
        std::vector<std::string> out;
        for (const auto& v : j->value(key, json::array())) {
          if (v.is_string()) out.push_back(v.get<std::string>());
        }
        return out;
      };
      spec.callbacks = strings("callbacks");
      spec.allowed_logout_urls = strings("allowed_logout_urls");
      spec.web_origins = strings("web_origins");
      std::string dropped;
      if (j->contains("grant_types")) {
        spec.grant_types.clear();
        for (const auto& g : strings("grant_types")) {
          if (kGrants.count(g)) {
            spec.grant_types.push_back(g);
          } else {
            dropped += (dropped.empty() ? "" : ", ") + g;
          }
        }
      }
      std::string method = j->value("token_endpoint_auth_method", "");
      if (method == "client_secret_post" || method == "client_secret_basic") {
        spec.token_endpoint_auth_method = method;
      }
      std::string note = dropped.empty() ? "" : "unsupported grant types left out: " + dropped;
      if (opt_.dry_run) {
        Add("client", name, Created(), note);
        continue;
      }
      auto created = services_.clients->Create(spec);
      if (!created.ok()) {
        Add("client", name, "failed", created.status().message());
        continue;
      }
      json secret = {{"name", name}, {"client_id", created->client.client_id}};
      if (!created->client_secret.empty()) secret["client_secret"] = created->client_secret;
      secrets_.push_back(secret);
      Add("client", name, Created(), note);
    }
  }

  void ImportUsers() {
    auto text = ReadText(opt_.users_file);
    if (!text.ok()) return Add("users", opt_.users_file, "failed", text.status().message());
    if (opt_.dry_run) return Add("users", opt_.users_file, "skipped", "dry run");
    auto report = services_.users->Import(*text);
    if (!report.ok()) return Add("users", opt_.users_file, "failed", report.status().message());
    Add("users", opt_.users_file, "created",
        std::to_string(report->imported) + " imported, " + std::to_string(report->skipped) +
            " skipped (email exists)");
    for (const auto& e : report->errors) Add("user", opt_.users_file, "failed", e);
  }

  const ImportOptions& opt_;
  server::Services& services_;
  rules::Engine& engine_;
  std::unique_ptr<storage::ActionRepo> actions_;
  std::map<std::string, std::string> deployed_;  // action name -> id, this run
  std::vector<Item> items_;
  json secrets_ = json::array();
};

int RunImportAuth0(const ImportOptions& opt) {
  std::error_code ec;
  if (!fs::is_directory(opt.dir, ec)) return Fail(opt.dir + ": not a directory");
  auto engine = server::CreateRulesEngine(
      {.threads = 1, .node_modules_dir = server::RulesNodeModulesDir("")});
  if (!engine.ok()) return Fail(engine.status().ToString());
  auto cfg = config::Load(fs::absolute(opt.data_dir).lexically_normal().string(),
                          config::ProcessEnvironment());
  if (!cfg.ok()) return Fail(cfg.status().message());
  auto services = server::OpenServices(*cfg);
  if (!services.ok()) return Fail(services.status().message());
  Importer importer(opt, **services, **engine);
  importer.Run();
  importer.Print();
  return importer.AnyFailed() ? 1 : 0;
}

}  // namespace

void RegisterImport(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ImportOptions>();
  auto* import = app.add_subcommand("import", "Import a tenant from another server");
  import->require_subcommand(1);
  auto* auth0 = import->add_subcommand(
      "auth0",
      "Import an Auth0 Deploy CLI export directory (rules, rules-configs, actions, triggers, "
      "clients) and an optional user export; exits 1 if any item failed");
  auth0->add_option("dir", opt->dir, "the export directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  auth0->add_option("--data-dir", opt->data_dir, "the data directory (holds gatehouse.toml)")
      ->envname("GATEHOUSE_DATA_DIR")
      ->required();
  auth0->add_option("--users", opt->users_file, "an Auth0 user export (JSON Lines)")
      ->check(CLI::ExistingFile);
  auth0->add_flag("--json", opt->json, "print the report as JSON");
  auth0->add_flag("--dry-run", opt->dry_run, "check and report, write nothing");
  auth0->callback([opt, exit_code] { *exit_code = RunImportAuth0(*opt); });
}

}  // namespace gatehouse::cli
