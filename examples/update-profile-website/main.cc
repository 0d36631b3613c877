// update-profile-website: the SPEC §3.6 progressive-profiling companion site.
//
//   TOKEN_ISSUER=... TOKEN_AUDIENCE=... TOKEN_SECRET=...
//   GATEHOUSE_URL=http://127.0.0.1:8080 LISTEN=127.0.0.1:3001   (environment variables),
//   then run update-profile-website

#include <cstdio>
#include <memory>

#include "common/site_main.h"
#include "update-profile-website/profile_site.h"

int main() {
  using namespace gatehouse::examples;
  ProfileSiteOptions options;
  for (auto [name, field] : {std::pair{"TOKEN_ISSUER", &options.token_issuer},
                             std::pair{"TOKEN_AUDIENCE", &options.token_audience},
                             std::pair{"TOKEN_SECRET", &options.token_secret},
                             std::pair{"GATEHOUSE_URL", &options.gatehouse_url}}) {
    auto value = RequireEnv(name);
    if (!value.ok()) {
      std::fprintf(stderr, "update-profile-website: %s\n", value.status().message().c_str());
      return 2;
    }
    *field = *value;
  }
  options.session_key = EnvOr("SESSION_KEY", "");
  options.secure_cookies = EnvOr("SECURE_COOKIES", "") == "1";
  auto router = std::make_shared<gatehouse::http::Router>();
  if (auto s = RegisterProfileSite(*router, options); !s.ok()) {
    std::fprintf(stderr, "update-profile-website: %s\n", s.message().c_str());
    return 2;
  }
  return ServeUntilSignal(router, EnvOr("LISTEN", "127.0.0.1:3001"), "update-profile-website");
}
