// `gatehouse users create|list|delete|import --data-dir DIR`: manage the database
// connection's users directly in a data directory (SPEC §7), through the same
// UserService the server uses (same validation, hashing and Auth0 shapes).

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "core/iso_time.h"
#include "server/services.h"

namespace gatehouse::cli {
namespace {

struct UsersOptions {
  std::string data_dir;
  std::string email, password, username;
  std::string file;
  std::string user_id;
  bool json = false;
};

Result<std::unique_ptr<server::Services>> Open(const UsersOptions& opt) {
  auto cfg = config::Load(std::filesystem::absolute(opt.data_dir).lexically_normal().string(),
                          config::ProcessEnvironment());
  if (!cfg.ok()) return cfg.status();
  for (const auto& w : cfg->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return server::OpenServices(*cfg);
}

int RunCreate(const UsersOptions& opt) {
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  accounts::SignUpInput in;
  in.email = opt.email;
  in.password = opt.password;
  in.username = opt.username;
  auto user = (*services)->users->SignUp(in);
  if (!user.ok()) return Fail(user.status().message());
  if (opt.json) {
    std::printf("%s\n", user->ToJson().dump(2).c_str());
  } else {
    std::printf("created %s %s\n", user->user_id().c_str(), user->record.email.c_str());
  }
  return 0;
}

int RunList(const UsersOptions& opt) {
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  storage::UserRepo& repo = (*services)->storage->users();
  nlohmann::json all = nlohmann::json::array();
  if (!opt.json) {
    std::printf("%-32s %-40s %-20s %7s %s\n", "user_id", "email", "username", "logins",
                "created_at");
  }
  storage::UserQuery q;
  q.connection = accounts::kDatabaseConnection;
  q.per_page = 100;
  for (q.page = 0;; ++q.page) {
    auto page = repo.List(q);
    if (!page.ok()) return Fail(page.status().message());
    for (auto& r : page->users) {
      if (opt.json) {
        all.push_back(accounts::User{std::move(r)}.ToJson());
      } else {
        std::printf("%-32s %-40s %-20s %7lld %s\n", r.user_id.c_str(), r.email.c_str(),
                    r.username.c_str(), static_cast<long long>(r.logins_count),
                    IsoTimeMs(r.created_at_ms).c_str());
      }
    }
    if (static_cast<int64_t>(q.page + 1) * q.per_page >= page->total) break;
  }
  if (opt.json) std::printf("%s\n", all.dump(2).c_str());
  return 0;
}

int RunImport(const UsersOptions& opt) {
  std::ifstream in(opt.file, std::ios::binary);
  if (!in) return Fail("cannot read " + opt.file);
  std::stringstream text;
  text << in.rdbuf();
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  auto report = (*services)->users->Import(text.str());
  if (!report.ok()) return Fail(report.status().message());
  if (opt.json) {
    nlohmann::json j = {
        {"imported", report->imported}, {"skipped", report->skipped}, {"errors", report->errors}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("imported %d, skipped %d (already existing), %zu errors\n", report->imported,
                report->skipped, report->errors.size());
    for (const auto& e : report->errors) std::fprintf(stderr, "gatehouse: %s\n", e.c_str());
  }
  // Partial imports are kept; a non-zero exit tells scripts to look at the errors.
  return report->errors.empty() ? 0 : 1;
}

int RunDelete(const UsersOptions& opt) {
  auto services = Open(opt);
  if (!services.ok()) return Fail(services.status().message());
  Status s = (*services)->storage->users().Delete(opt.user_id);
  if (!s.ok())
    return Fail(s.code() == ErrorCode::kNotFound ? "no user " + opt.user_id : s.message());
  if (opt.json) {
    std::printf("%s\n", nlohmann::json({{"deleted", opt.user_id}}).dump().c_str());
  } else {
    std::printf("deleted %s\n", opt.user_id.c_str());
  }
  return 0;
}

void AddCommon(CLI::App* cmd, UsersOptions& opt) {
  cmd->add_option("--data-dir", opt.data_dir, "the data directory (holds gatehouse.toml)")
      ->required();
  cmd->add_flag("--json", opt.json, "print JSON (the Auth0 Management API user shape)");
}

}  // namespace

void RegisterUsers(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<UsersOptions>();
  auto* users = app.add_subcommand("users", "Create, list, delete and import database users");
  users->require_subcommand(1);

  auto* create = users->add_subcommand("create", "Create a user with an email and password");
  AddCommon(create, *opt);
  create->add_option("--email", opt->email, "email address")->required();
  create->add_option("--password", opt->password, "password (8 to 256 characters)")->required();
  create->add_option("--username", opt->username, "optional username");
  create->callback([opt, exit_code] { *exit_code = RunCreate(*opt); });

  auto* list = users->add_subcommand("list", "List every user, oldest first");
  AddCommon(list, *opt);
  list->callback([opt, exit_code] { *exit_code = RunList(*opt); });

  auto* import = users->add_subcommand(
      "import",
      "Import an Auth0 user export (JSON Lines, bcrypt hashes kept); existing emails are "
      "skipped; exits 1 if any line was refused");
  AddCommon(import, *opt);
  import->add_option("file", opt->file, "the export file (.jsonl)")->required();
  import->callback([opt, exit_code] { *exit_code = RunImport(*opt);
});

auto* del = users->add_subcommand("delete", "Delete a user");
AddCommon(del, *opt);
del->add_option("user_id", opt->user_id, "the user's id, e.g. auth0|0123...")->required();
del->callback([opt, exit_code] { *exit_code = RunDelete(*opt); });
}  // namespace gatehouse::cli

}  // namespace gatehouse::cli
