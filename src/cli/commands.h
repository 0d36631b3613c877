#pragma once
// The `gatehouse` subcommands (SPEC §7). Each Register* adds one subcommand to
// the CLI11 app; its callback runs the command and stores the process exit
// code in `*exit_code` (0 success, 1 runtime failure; usage errors are 2 and
// are handled by main before any callback runs).

namespace CLI {
class App;
}

namespace gatehouse::cli {

void RegisterInit(CLI::App& app, int* exit_code);
void RegisterServe(CLI::App& app, int* exit_code);
void RegisterConfig(CLI::App& app, int* exit_code);
void RegisterRules(CLI::App& app, int* exit_code);
void RegisterUsers(CLI::App& app, int* exit_code);
void RegisterClients(CLI::App& app, int* exit_code);
void RegisterConnections(CLI::App& app, int* exit_code);
void RegisterMigrate(CLI::App& app, int* exit_code);
void RegisterAdmins(CLI::App& app, int* exit_code);
void RegisterDemo(CLI::App& app, int* exit_code);
void RegisterImport(CLI::App& app, int* exit_code);

}  // namespace gatehouse::cli
