// `gatehouse clients create|list|delete --data-dir DIR [--json]`: manage OAuth
// clients directly in a data directory (SPEC §7). The secret of a new
// confidential client is printed once; only its hash is stored.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "oauth/client.h"
#include "oauth/client_registry.h"
#include "server/services.h"

namespace gatehouse::cli {
namespace {

struct ClientsOptions {
  std::string data_dir;
  bool json = false;
  // create
  std::string name;
  std::string type = "regular_web";
  std::vector<std::string> callbacks, logout_urls, grants, management_scopes;
  std::string id_token_alg;
  // delete
  std::string client_id;
};

Result<std::unique_ptr<server::Services>> Open(const ClientsOptions& opt) {
  if (opt.data_dir.empty()) return InvalidArgument("needs --data-dir DIR or GATEHOUSE_DATA_DIR");
  auto cfg = config::Load(std::filesystem::absolute(opt.data_dir).lexically_normal().string(),
                          config::ProcessEnvironment());
  if (!cfg.ok()) return cfg.status();
  return server::OpenServices(*cfg);
}

int RunCreate(const ClientsOptions& opt) {
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  oauth::Client spec;
  spec.name = opt.name;
  spec.app_type = opt.type;
  spec.callbacks = opt.callbacks;
  spec.allowed_logout_urls = opt.logout_urls;
  spec.management_scopes = opt.management_scopes;
  spec.id_token_signed_response_alg = opt.id_token_alg;
  if (!opt.grants.empty()) {
    spec.grant_types = opt.grants;
  } else if (opt.type == "non_interactive") {
    spec.grant_types = {"client_credentials"};
  }
  auto created = (*services)->clients->Create(spec);
  if (!created.ok()) return Fail(created.status().message());
  const oauth::Client& c = created->client;
  if (opt.json) {
    nlohmann::json out = c.ToJson();
    if (!created->client_secret.empty()) out["client_secret"] = created->client_secret;
    out["management_scopes"] = c.management_scopes;
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("Created client %s (%s)\n  client_id      %s\n", c.name.c_str(), c.app_type.c_str(),
              c.client_id.c_str());
  if (!created->client_secret.empty()) {
    std::printf("  client_secret  %s\n  (shown once: store it now; only its hash is kept)\n",
                created->client_secret.c_str());
  } else {
    std::printf("  public client: no secret, PKCE required\n");
  }
  return 0;
}

int RunList(const ClientsOptions& opt) {
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  auto list = (*services)->clients->List();
  if (!list.ok()) return Fail(list.status().message());
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : *list) out.push_back(c.ToJson());
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("%-34s %-16s %s\n", "client_id", "app_type", "name");
  for (const auto& c : *list) {
    std::printf("%-34s %-16s %s\n", c.client_id.c_str(), c.app_type.c_str(), c.name.c_str());
  }
  return 0;
}

int RunDelete(const ClientsOptions& opt) {
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  Status s = (*services)->clients->Delete(opt.client_id);
  if (s.code() == ErrorCode::kNotFound) return Fail("no such client: " + opt.client_id);
  if (!s.ok()) return Fail(s.message());
  if (opt.json) {
    std::printf("%s\n", nlohmann::json{{"deleted", opt.client_id}}.dump().c_str());
  } else {
    std::printf("Deleted client %s\n", opt.client_id.c_str());
  }
  return 0;
}

void AddCommon(CLI::App* cmd, ClientsOptions* opt) {
  cmd->add_option("--data-dir", opt->data_dir, "data directory (created by gatehouse init)")
      ->envname("GATEHOUSE_DATA_DIR");
  cmd->add_flag("--json", opt->json, "print JSON for scripts");
}

}  // namespace

void RegisterClients(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ClientsOptions>();
  auto* clients = app.add_subcommand("clients", "Create, list and delete OAuth clients");
  clients->require_subcommand(1);

  auto* create = clients->add_subcommand("create", "Register a client; prints its secret once");
  AddCommon(create, opt.get());
  create->add_option("--name", opt->name, "display name")->required();
  create->add_option("--type", opt->type, "application type")
      ->check(CLI::IsMember({"regular_web", "spa", "native", "non_interactive"}));
  create->add_option("--callback", opt->callbacks, "allowed redirect_uri (repeatable)");
  create->add_option("--logout-url", opt->logout_urls, "allowed logout returnTo URL (repeatable)");
  create->add_option("--grant", opt->grants, "allowed grant type (repeatable)")
      ->check(
          CLI::IsMember({"authorization_code", "refresh_token", "client_credentials", "password"}));
  create->add_option("--management-scope", opt->management_scopes,
                     "Management API scope for client_credentials (repeatable)");
  create->add_option("--id-token-alg", opt->id_token_alg,
                     "ID token signing alg (default: the server's, RS256)")
      ->check(CLI::IsMember({"RS256", "ES256"}));
  create->callback([opt, exit_code] { *exit_code = RunCreate(*opt); });

  auto* list = clients->add_subcommand("list", "List clients (never their secrets)");
  AddCommon(list, opt.get());
  list->callback([opt, exit_code] { *exit_code = RunList(*opt); });

  auto* del = clients->add_subcommand("delete", "Delete a client");
  AddCommon(del, opt.get());
  del->add_option("client_id", opt->client_id, "the client's id")->required();
  del->callback([opt, exit_code] { *exit_code = RunDelete(*opt); });
}

}  // namespace gatehouse::cli
