// `gatehouse init --data-dir DIR [--domain HOST[:PORT]] [--listen ADDR:PORT] [--json]`

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "mgmt/scopes.h"
#include "server/app.h"
#include "server/services.h"

namespace gatehouse::cli {
namespace {

struct InitOptions {
  std::string data_dir;
  std::string domain = "127.0.0.1:8080";
  std::string listen;
  bool json = false;
};

// A loopback domain with a port is also where we listen; anything else is a
// public name behind which we listen on the default loopback port.
std::string DefaultListen(const std::string& domain) {
  for (const char* host : {"127.0.0.1:", "localhost:", "[::1]:"}) {
    if (domain.rfind(host, 0) == 0) return domain;
  }
  return "127.0.0.1:8080";
}

int RunInit(const InitOptions& opt) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::absolute(opt.data_dir).lexically_normal();
  const fs::path file = dir / "gatehouse.toml";
  std::error_code ec;
  if (fs::exists(file, ec)) {
    return Fail("already initialised: " + file.string() + " exists");
  }
  fs::create_directories(dir, ec);
  if (ec) return Fail("cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);

  const std::string listen = opt.listen.empty() ? DefaultListen(opt.domain) : opt.listen;
  {
    std::ofstream out(file);
    out << config::RenderDefaultFile(opt.domain, listen);
    if (!out) return Fail("cannot write " + file.string());
  }
  auto cfg = config::Load(dir.string(), config::ProcessEnvironment());
  if (!cfg.ok()) {
    fs::remove(file, ec);  // leave nothing half-made behind
    return Fail(cfg.status().message());
  }
  auto app = server::App::Create(*cfg);
  if (!app.ok()) return Fail(app.status().ToString());
  auto keys = (*app)->ActiveKeys();
  app->reset();  // the admin client goes in through its own services handle

  // The machine-to-machine client that administers everything else through
  // the Management API; its secret is shown here once and stored hashed.
  auto services = server::OpenServices(*cfg);
  if (!services.ok()) return Fail(services.status().ToString());
  oauth::Client admin;
  admin.name = "Gatehouse Admin (Management API)";
  admin.app_type = "non_interactive";
  admin.token_endpoint_auth_method = "client_secret_post";
  admin.grant_types = {"client_credentials"};
  admin.management_scopes = mgmt::AllScopes();
  auto created = (*services)->clients->Create(admin);
  if (!created.ok()) return Fail("cannot create the admin client: " + created.status().ToString());

  const std::string issuer = (cfg->Tls() ? "https://" : "http://") + cfg->domain + "/";
  if (opt.json) {
    nlohmann::json out = {{"data_dir", dir.string()},
                          {"config_file", file.string()},
                          {"database", cfg->SqlitePath()},
                          {"domain", cfg->domain},
                          {"listen", cfg->listen},
                          {"issuer", issuer},
                          {"signing_keys", nlohmann::json::array()}};
    for (const auto& k : keys) out["signing_keys"].push_back({{"alg", k.alg}, {"kid", k.kid}});
    out["admin_client"] = {{"client_id", created->client.client_id},
                           {"client_secret", created->client_secret}};
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("Initialised %s\n  config    %s\n  database  %s\n  issuer    %s\n", dir.c_str(),
                file.c_str(), cfg->SqlitePath().c_str(), issuer.c_str());
    for (const auto& k : keys) std::printf("  key       %s %s\n", k.alg.c_str(), k.kid.c_str());
    std::printf(
        "Management API admin client (the secret is shown only now: keep it safe)\n"
        "  client_id      %s\n  client_secret  %s\n  audience       %sapi/v2/\n",
        created->client.client_id.c_str(), created->client_secret.c_str(), issuer.c_str());
    std::printf("Start it with: gatehouse serve --data-dir %s\n", dir.c_str());
  }
  return 0;
}

}  // namespace

void RegisterInit(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<InitOptions>();
  auto* cmd = app.add_subcommand(
      "init", "Create a data directory: gatehouse.toml, the database, signing keys and secrets");
  cmd->add_option("--data-dir", opt->data_dir, "directory to create (must not hold a config yet)")
      ->required();
  cmd->add_option("--domain", opt->domain,
                  "primary domain HOST[:PORT]; the issuer is built from it")
      ->capture_default_str();
  cmd->add_option("--listen", opt->listen,
                  "ADDR:PORT to serve on (default: the domain when it is loopback, else "
                  "127.0.0.1:8080)");
  cmd->add_flag("--json", opt->json, "print one JSON object on stdout");
  cmd->callback([opt, exit_code] { *exit_code = RunInit(*opt); });
}

}  // namespace gatehouse::cli
