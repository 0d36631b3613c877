// password-change-app: the SPEC §3.6 force-password-change companion.
//
//   TOKEN_ISSUER=... TOKEN_AUDIENCE=<its own URL> TOKEN_SECRET=...
//   GATEHOUSE_URL=http://127.0.0.1:8080 CLIENT_ID=... CLIENT_SECRET=...
//   LISTEN=127.0.0.1:3002   (all environment variables), then run
//   password-change-app
//
// CLIENT_ID/CLIENT_SECRET: a machine-to-machine client with the
// Management API scope update:users (gatehouse clients create --type
// non_interactive --grant client_credentials --management-scope update:users).

#include <cstdio>
#include <memory>

#include "common/site_main.h"
#include "http/outbound.h"
#include "password-change-app/password_app.h"

int main() {
  using namespace gatehouse::examples;
  PasswordAppOptions options;
  ManagementClientOptions management;
  for (auto [name, field] : {std::pair{"TOKEN_ISSUER", &options.token_issuer},
                             std::pair{"TOKEN_AUDIENCE", &options.token_audience},
                             std::pair{"TOKEN_SECRET", &options.token_secret},
                             std::pair{"GATEHOUSE_URL", &options.gatehouse_url},
                             std::pair{"CLIENT_ID", &management.client_id},
                             std::pair{"CLIENT_SECRET", &management.client_secret}}) {
    auto value = RequireEnv(name);
    if (!value.ok()) {
      std::fprintf(stderr, "password-change-app: %s\n", value.status().message().c_str());
      return 2;
    }
    *field = *value;
  }
  management.gatehouse_url = options.gatehouse_url;
  options.session_key = EnvOr("SESSION_KEY", "");
  options.secure_cookies = EnvOr("SECURE_COOKIES", "") == "1";
  // Gatehouse usually runs beside the app: loopback and private addresses allowed.
  std::shared_ptr<gatehouse::http::OutboundClient> http =
      gatehouse::http::OutboundClient::Create(gatehouse::http::OutboundPolicy{});
  auto router = std::make_shared<gatehouse::http::Router>();
  if (auto s = RegisterPasswordApp(*router, options, ManagementClient::Create(management, http));
      !s.ok()) {
    std::fprintf(stderr, "password-change-app: %s\n", s.message().c_str());
    return 2;
  }
  return ServeUntilSignal(router, EnvOr("LISTEN", "127.0.0.1:3002"), "password-change-app");
}
