// `gatehouse`: the single binary operators and scripts use (SPEC §7).

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/commands.h"

#ifndef GATEHOUSE_VERSION
#define GATEHOUSE_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  CLI::App app{"Gatehouse: a self-hosted OAuth 2.0 / OpenID Connect server that runs Auth0 Rules",
               "gatehouse"};
  app.set_version_flag("--version", std::string("gatehouse ") + GATEHOUSE_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);

  int exit_code = 0;
  gatehouse::cli::RegisterInit(app, &exit_code);
  gatehouse::cli::RegisterServe(app, &exit_code);
  gatehouse::cli::RegisterConfig(app, &exit_code);
  gatehouse::cli::RegisterClients(app, &exit_code);
  gatehouse::cli::RegisterConnections(app, &exit_code);
  gatehouse::cli::RegisterUsers(app, &exit_code);
  gatehouse::cli::RegisterRules(app, &exit_code);
  gatehouse::cli::RegisterMigrate(app, &exit_code);
  gatehouse::cli::RegisterAdmins(app, &exit_code);
  gatehouse::cli::RegisterDemo(app, &exit_code);
  gatehouse::cli::RegisterImport(app, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Usage errors: one line saying why, exit code 2 (scripts rely on it).
    std::string what = e.what();
    for (char& c : what) {
      if (c == '\n') c = ' ';
    }
    std::fprintf(stderr, "gatehouse: %s (see gatehouse --help)\n", what.c_str());
    return 2;
  }
  return exit_code;
}
