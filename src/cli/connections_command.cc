// `gatehouse connections create|list|delete --data-dir DIR [--json]`: upstream
// OpenID Connect providers users may sign in through (docs/connections.md).
// The same validation as POST /api/v2/connections; the client secret is never
// printed.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "connections/connection_repo.h"
#include "crypto/secure_random.h"
#include "server/services.h"

namespace gatehouse::cli {
namespace {

struct ConnectionsOptions {
  std::string data_dir;
  bool json = false;
  // create
  std::string name, display_name, issuer, discovery_url, client_id, client_secret;
  std::string scopes = "openid profile email";
  bool no_pkce = false, social = false, link = false;
  std::vector<std::string> enabled_clients, mappings;
  // delete
  std::string target;
};

Result<std::unique_ptr<server::Services>> Open(const ConnectionsOptions& opt) {
  if (opt.data_dir.empty()) return InvalidArgument("needs --data-dir DIR or GATEHOUSE_DATA_DIR");
  auto cfg = config::Load(std::filesystem::absolute(opt.data_dir).lexically_normal().string(),
                          config::ProcessEnvironment());
  if (!cfg.ok()) return cfg.status();
  return server::OpenServices(*cfg);
}

connections::ConnectionRepo Repo(server::Services& s) {
  return connections::ConnectionRepo(s.storage->records(), crypto::SecureRandom::Instance());
}

int RunCreate(const ConnectionsOptions& opt) {
  nlohmann::json options = {{"client_id", opt.client_id}, {"client_secret", opt.client_secret},
                            {"scopes", opt.scopes},       {"pkce", !opt.no_pkce},
                            {"is_social", opt.social},    {"link_by_verified_email", opt.link}};
  if (!opt.issuer.empty()) options["issuer"] = opt.issuer;
  if (!opt.discovery_url.empty()) options["discovery_url"] = opt.discovery_url;
  nlohmann::json mapping = nlohmann::json::object();
  for (const auto& m : opt.mappings) {
    auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size()) {
      return Fail("--map takes ATTRIBUTE=CLAIM, got " + m);
    }
    mapping[m.substr(0, eq)] = m.substr(eq + 1);
  }
  options["claim_mapping"] = mapping;
  nlohmann::json body = {{"name", opt.name},
                         {"strategy", connections::kStrategy},
                         {"options", options},
                         {"enabled_clients", opt.enabled_clients}};
  if (!opt.display_name.empty()) body["display_name"] = opt.display_name;
  connections::Connection c;
  if (Status s = connections::ApplyApiBody(body, true, c); !s.ok()) return Fail(s.message());

  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  for (const auto& id : c.enabled_clients) {
    if (!(*services)->clients->Get(id).ok()) return Fail("no such client: " + id);
  }
  auto created = Repo(**services).Create(c);
  if (!created.ok()) return Fail(created.status().message());
  if (opt.json) {
    std::printf("%s\n", created->ToApi().dump().c_str());
    return 0;
  }
  std::printf(
      "Created connection %s (%s)\n  issuer    %s\n  callback  <your issuer>login/callback\n",
      created->name.c_str(), created->id.c_str(), created->DiscoveryUrl().c_str());
  return 0;
}

int RunList(const ConnectionsOptions& opt) {
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  auto list = Repo(**services).List();
  if (!list.ok()) return Fail(list.status().message());
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : *list) out.push_back(c.ToApi());
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("%-22s %-24s %-8s %s\n", "id", "name", "clients", "discovery");
  for (const auto& c : *list) {
    std::printf("%-22s %-24s %-8zu %s\n", c.id.c_str(), c.name.c_str(), c.enabled_clients.size(),
                c.DiscoveryUrl().c_str());
  }
  return 0;
}

int RunDelete(const ConnectionsOptions& opt) {
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  auto repo = Repo(**services);
  // By id (con_...) or by name.
  auto found = repo.GetById(opt.target);
  if (!found.ok() && found.status().code() == ErrorCode::kNotFound)
    found = repo.GetByName(opt.target);
  if (!found.ok()) {
    if (found.status().code() == ErrorCode::kNotFound)
      return Fail("no such connection: " + opt.target);
    return Fail(found.status().message());
  }
  Status s = repo.Delete(found->id);
  if (!s.ok()) return Fail(s.message());
  if (opt.json) {
    std::printf("%s\n",
                nlohmann::json{{"deleted", found->id}, {"name", found->name}}.dump().c_str());
  } else {
    std::printf("Deleted connection %s (%s)\n", found->name.c_str(), found->id.c_str());
  }
  return 0;
}

void AddCommon(CLI::App* cmd, ConnectionsOptions* opt) {
  cmd->add_option("--data-dir", opt->data_dir, "data directory (created by gatehouse init)")
      ->envname("GATEHOUSE_DATA_DIR");
  cmd->add_flag("--json", opt->json, "print JSON for scripts (the Management API shape)");
}

}  // namespace

void RegisterConnections(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ConnectionsOptions>();
  auto* cmd =
      app.add_subcommand("connections", "Create, list and delete upstream OIDC connections");
  cmd->require_subcommand(1);

  auto* create = cmd->add_subcommand("create", "Add an upstream OpenID Connect provider");
  AddCommon(create, opt.get());
  create->add_option("--name", opt->name, "unique name (letters, digits, '-'); part of user ids")
      ->required();
  create->add_option("--display-name", opt->display_name, "shown as \"Continue with <name>\"");
  create->add_option("--issuer", opt->issuer, "the provider's issuer URL (checked in ID tokens)");
  create->add_option("--discovery-url", opt->discovery_url,
                     "discovery document (default <issuer>/.well-known/openid-configuration)");
  create->add_option("--client-id", opt->client_id, "our client id at the provider")->required();
  create->add_option("--client-secret", opt->client_secret, "our client secret at the provider")
      ->envname("GATEHOUSE_CONNECTION_CLIENT_SECRET");
  create->add_option("--scopes", opt->scopes, "scopes to ask for (default: openid profile email)");
  create->add_flag("--no-pkce", opt->no_pkce, "do not send a PKCE code challenge");
  create->add_flag("--social", opt->social, "identities are social (isSocial: true)");
  create->add_flag("--link-by-verified-email", opt->link,
                   "sign in existing database users with the same verified email (see docs)");
  create->add_option("--enable-client", opt->enabled_clients,
                     "client id allowed to use it (repeatable)");
  create->add_option("--map", opt->mappings,
                     "profile attribute from another claim, ATTRIBUTE=CLAIM (repeatable)");
  create->callback([opt, exit_code] { *exit_code = RunCreate(*opt); });

  auto* list = cmd->add_subcommand("list", "List connections (never their secrets)");
  AddCommon(list, opt.get());
  list->callback([opt, exit_code] { *exit_code = RunList(*opt); });

  auto* del = cmd->add_subcommand("delete", "Delete a connection (its users stay)");
  AddCommon(del, opt.get());
  del->add_option("connection", opt->target, "the connection's id (con_...) or name")->required();
  del->callback([opt, exit_code] { *exit_code = RunDelete(*opt); });
}

}  // namespace gatehouse::cli
