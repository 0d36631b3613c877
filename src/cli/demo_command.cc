// `gatehouse demo [--data-dir DIR] [--port PORT]` (SPEC §7): the newcomer's one
// command. Creates a demo tenant on first use (SQLite in DIR: a sample
// application, the example rules and their settings, a demo user), then serves
// in one process:
//
//   PORT      Gatehouse
//   PORT + 1  the sample application (start here: log in, see the claims)
//   PORT + 2  the update-profile website (progressive profiling, terms page)
//   PORT + 3  the password-change application (force password change)
//
// What only the first run can know (client secrets, rule secrets) is kept in
// DIR/demo.json so later runs serve the same tenant.

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/signals.h"
#include "common/site_main.h"
#include "config/config.h"
#include "core/base64url.h"
#include "core/logging.h"
#include "crypto/secure_random.h"
#include "http/outbound.h"
#include "http/server.h"
#include "password-change-app/password_app.h"
#include "rules/example_rules.h"
#include "sample-app/sample_app.h"
#include "server/app.h"
#include "server/services.h"
#include "update-profile-website/profile_site.h"

namespace gatehouse::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kDemoEmail[] = "demo@example.com";
constexpr char kDemoPassword[] = "demo password 1";

struct DemoOptions {
  std::string data_dir = "demo-data";
  int port = 8080;
};

std::string Secret() { return Base64UrlEncode(crypto::SecureRandom::Instance().Bytes(32)); }
std::string Url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

// First run: the tenant. Returns what demo.json keeps.
Result<json> CreateTenant(const config::Config& cfg, int port) {
  {
    auto app = server::App::Create(cfg);  // keys, secrets, schema
    if (!app.ok()) return app.status();
  }
  GH_ASSIGN_OR_RETURN(auto services, server::OpenServices(cfg));
  const std::string gatehouse = Url(port), sample = Url(port + 1), profile = Url(port + 2),
                    password = Url(port + 3);

  oauth::Client app;
  app.name = "Sample Application";
  app.app_type = "regular_web";
  app.token_endpoint_auth_method = "client_secret_post";
  app.callbacks = {sample + "/callback"};
  app.allowed_logout_urls = {sample + "/"};
  app.grant_types = {"authorization_code"};
  GH_ASSIGN_OR_RETURN(auto sample_client, services->clients->Create(app));

  oauth::Client m2m;
  m2m.name = "Password Change Application (Management API)";
  m2m.app_type = "non_interactive";
  m2m.token_endpoint_auth_method = "client_secret_post";
  m2m.grant_types = {"client_credentials"};
  m2m.management_scopes = {"update:users"};
  GH_ASSIGN_OR_RETURN(auto m2m_client, services->clients->Create(m2m));

  accounts::SignUpInput user;
  user.email = kDemoEmail;
  user.password = kDemoPassword;
  user.email_verified = true;
  user.app_metadata = {{"force_password_change", true}};
  GH_ASSIGN_OR_RETURN(auto demo_user, services->users->SignUp(user));

  const json settings = {{"TOKEN_ISSUER", gatehouse + "/rules"},
                         {"TOKEN_AUDIENCE", profile},
                         {"TOKEN_SECRET", Secret()},
                         {"UPDATE_PROFILE_WEBSITE_URL", profile + "/"},
                         {"PASSWORD_CHANGE_URL", password + "/"},
                         {"PASSWORD_CHANGE_SECRET", Secret()},
                         {"TERMS_URL", profile + "/terms"},
                         {"TERMS_VERSION", "2026-01"}};
  storage::RuleRepo& rules = services->storage->rules();
  for (const auto& [key, value] : settings.items()) {
    GH_RETURN_IF_ERROR(rules.SetConfig(key, value.get<std::string>()));
  }
  int order = 10;
  for (const auto& [name, script] : examples::ExampleRules()) {
    storage::RuleRecord rule;
    rule.name = std::string(name);
    rule.script = std::string(script);
    rule.order = order;
    order += 10;
    GH_ASSIGN_OR_RETURN(auto created, rules.Create(rule));
  }
  return json{
      {"port", port},
      {"sample_client",
       {{"client_id", sample_client.client.client_id},
        {"client_secret", sample_client.client_secret}}},
      {"password_app_client",
       {{"client_id", m2m_client.client.client_id}, {"client_secret", m2m_client.client_secret}}},
      {"demo_user", {{"email", kDemoEmail}, {"user_id", demo_user.user_id()}}},
      {"settings", settings},
      {"session_key", Secret()}};
}

// One in-process site on its own loopback port.
Result<std::unique_ptr<http::Server>> StartSite(std::shared_ptr<http::Router> router, int port) {
  http::ServerOptions options;
  options.port = static_cast<uint16_t>(port);
  options.io_threads = 1;
  options.access_log = false;
  GH_ASSIGN_OR_RETURN(auto server, http::Server::Create(options, std::move(router)));
  GH_RETURN_IF_ERROR(server->Start());
  return server;
}

int RunDemo(const DemoOptions& opt) {
  // Signals go to the waiting thread: block them before any thread exists.
  BlockTerminationSignals();
  if (opt.port < 1 || opt.port > 65532) return Fail("--port must leave room for PORT+3");
  const fs::path dir = fs::absolute(opt.data_dir).lexically_normal();
  const fs::path toml = dir / "gatehouse.toml", state_file = dir / "demo.json";
  const std::string gatehouse = Url(opt.port);
  std::error_code ec;
  const bool fresh = !fs::exists(toml, ec);
  if (fresh) {
    fs::create_directories(dir, ec);
    if (ec) return Fail("cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    std::ofstream out(toml);
    out << config::RenderDefaultFile("127.0.0.1:" + std::to_string(opt.port),
                                     "127.0.0.1:" + std::to_string(opt.port));
    if (!out) return Fail("cannot write " + toml.string());
  } else if (!fs::exists(state_file, ec)) {
    return Fail(dir.string() + " holds a Gatehouse that `gatehouse demo` did not create");
  }

  config::Environment env = config::ProcessEnvironment();
  env["GATEHOUSE_LISTEN"] = "127.0.0.1:" + std::to_string(opt.port);
  auto cfg = config::Load(dir.string(), env);
  if (!cfg.ok()) return Fail(cfg.status().message());
  log::Init(cfg->log_level);

  json demo;
  if (fresh) {
    auto created = CreateTenant(*cfg, opt.port);
    if (!created.ok()) {
      fs::remove(toml, ec);  // a second run starts over instead of half-way
      return Fail("cannot create the demo tenant: " + created.status().ToString());
    }
    demo = *created;
    std::ofstream out(state_file);
    out << demo.dump(2) << "\n";
    if (!out) return Fail("cannot write " + state_file.string());
    fs::permissions(state_file, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace, ec);
  } else {
    std::ifstream in(state_file);
    demo = json::parse(in, nullptr, false);
    if (!demo.is_object() || demo.value("port", 0) != opt.port) {
      return Fail(state_file.string() + " was made for --port " +
                  std::to_string(demo.is_object() ? demo.value("port", 0) : 0) +
                  ": use that port, or another --data-dir");
    }
  }
  const json& settings = demo["settings"];
  const std::string session_key = demo["session_key"];

  auto app = server::App::Create(*cfg);
  if (!app.ok()) return Fail(app.status().ToString());
  if (Status s = (*app)->Start(); !s.ok()) return Fail(s.ToString());

  std::shared_ptr<http::OutboundClient> outbound =
      http::OutboundClient::Create(http::OutboundPolicy{});
  auto sample_router = std::make_shared<http::Router>();
  auto profile_router = std::make_shared<http::Router>();
  auto password_router = std::make_shared<http::Router>();
  Status wired =
      examples::RegisterSampleApp(*sample_router,
                                  {.gatehouse_url = gatehouse,
                                   .app_url = Url(opt.port + 1),
                                   .client_id = demo["sample_client"]["client_id"],
                                   .client_secret = demo["sample_client"]["client_secret"],
                                   .session_key = session_key},
                                  outbound);
  if (wired.ok()) {
    wired = examples::RegisterProfileSite(*profile_router,
                                          {.token_issuer = settings["TOKEN_ISSUER"],
                                           .token_audience = settings["TOKEN_AUDIENCE"],
                                           .token_secret = settings["TOKEN_SECRET"],
                                           .gatehouse_url = gatehouse,
                                           .session_key = session_key});
  }
  if (wired.ok()) {
    wired = examples::RegisterPasswordApp(
        *password_router,
        {.token_issuer = settings["TOKEN_ISSUER"],
         .token_audience = settings["PASSWORD_CHANGE_URL"],
         .token_secret = settings["PASSWORD_CHANGE_SECRET"],
         .gatehouse_url = gatehouse,
         .session_key = session_key},
        examples::ManagementClient::Create(
            {.gatehouse_url = gatehouse,
             .client_id = demo["password_app_client"]["client_id"],
             .client_secret = demo["password_app_client"]["client_secret"]},
            outbound));
  }
  if (!wired.ok()) return Fail(wired.ToString());
  std::vector<std::unique_ptr<http::Server>> sites;
  for (auto [router, port] :
       {std::pair{sample_router, opt.port + 1}, std::pair{profile_router, opt.port + 2},
        std::pair{password_router, opt.port + 3}}) {
    auto site = StartSite(router, port);
    if (!site.ok()) {
      for (auto& s : sites) s->Shutdown(std::chrono::seconds(1));
      (*app)->Shutdown();
      return Fail("cannot serve on port " + std::to_string(port) + ": " + site.status().ToString());
    }
    sites.push_back(std::move(*site));
  }

  std::printf(
      "\nGatehouse demo is running. Open the sample application:\n\n    %s/\n\n"
      "  log in as  %s / %s (until you change it)\n"
      "  (first login: change the password; next: accept the terms; then tell us your\n"
      "  name; the third login asks for a birthdate) or sign up a new user.\n\n"
      "  Gatehouse                 %s/   (data in %s)\n"
      "  update-profile website    %s/\n"
      "  password-change app       %s/\n\nCtrl-C stops everything.\n",
      Url(opt.port + 1).c_str(), kDemoEmail, kDemoPassword, gatehouse.c_str(), dir.c_str(),
      Url(opt.port + 2).c_str(), Url(opt.port + 3).c_str());
  std::fflush(stdout);

  int sig = WaitForTerminationSignal();
  log::Info("shutting_down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  // The sites first: their in-flight requests may still call Gatehouse.
  for (auto& s : sites) s->Shutdown(std::chrono::seconds(5));
  (*app)->Shutdown();
  return 0;
}

}  // namespace

void RegisterDemo(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<DemoOptions>();
  auto* cmd = app.add_subcommand(
      "demo", "Run Gatehouse with a demo tenant, the example sites and a sample application");
  cmd->add_option("--data-dir", opt->data_dir, "where the demo tenant lives (created on first use)")
      ->capture_default_str();
  cmd->add_option("--port", opt->port,
                  "Gatehouse's port; the sample app, update-profile website and password-change "
                  "app take the next three")
      ->capture_default_str();
  cmd->callback([opt, exit_code] { *exit_code = RunDemo(*opt); });
}

}  // namespace gatehouse::cli
