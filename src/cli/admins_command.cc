// `gatehouse admins add|remove <email> --data-dir DIR`: marks a user as an
// administrator of the admin dashboard at /admin, or takes that away. The mark
// is app_metadata.gatehouse_admin = true (oauth/admin_access.h), written
// through the same metadata merge the Management API uses; it takes effect on
// the next Management API call, not only at the next sign-in.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "oauth/admin_access.h"
#include "server/services.h"

namespace gatehouse::cli {
namespace {

struct AdminsOptions {
  std::string data_dir;
  std::string email;
};

int RunSet(const AdminsOptions& opt, bool admin) {
  auto cfg = config::Load(std::filesystem::absolute(opt.data_dir).lexically_normal().string(),
                          config::ProcessEnvironment());
  if (!cfg.ok()) return Fail(cfg.status().message());
  auto services = server::OpenServices(*cfg);
  if (!services.ok()) return Fail(services.status().message());
  auto user = (*services)->users->GetByEmail(opt.email);
  if (!user.ok()) return Fail("no user with the email " + opt.email);
  // null deletes the key: a removed admin leaves no trace in app_metadata.
  nlohmann::json patch = {{oauth::kAdminFlag, admin ? nlohmann::json(true) : nlohmann::json()}};
  auto updated = (*services)->users->UpdateMetadata(user->user_id(), nullptr, patch);
  if (!updated.ok()) return Fail(updated.status().message());
  std::printf("%s %s (%s)\n", admin ? "admin" : "not admin", opt.email.c_str(),
              user->user_id().c_str());
  return 0;
}

}  // namespace

void RegisterAdmins(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<AdminsOptions>();
  auto* admins = app.add_subcommand("admins", "Mark users as administrators of /admin");
  admins->require_subcommand(1);
  for (bool add : {true, false}) {
    auto* cmd = admins->add_subcommand(add ? "add" : "remove",
                                       add ? "Let this user sign in to the admin dashboard"
                                           : "Take admin dashboard access away from this user");
    cmd->add_option("--data-dir", opt->data_dir, "the data directory (holds gatehouse.toml)")
        ->required();
    cmd->add_option("email", opt->email, "the user's email")->required();
    cmd->callback([opt, exit_code, add] { *exit_code = RunSet(*opt, add); });
  }
}

}  // namespace gatehouse::cli
