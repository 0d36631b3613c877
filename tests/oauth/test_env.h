#pragma once
// Shared fixture pieces for oauth tests: a fake clock, a throwaway SQLite
// database and a client registry over it.

#include <gtest/gtest.h>

#include <memory>

#include "core/clock.h"
#include "crypto/secure_random.h"
#include "oauth/client_registry.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::oauth::testing {

struct OAuthEnv {
  FakeClock clock;
  std::unique_ptr<storage::Storage> storage = storage::testing::OpenTempSqlite(clock);
  Random& random = crypto::SecureRandom::Instance();
  std::unique_ptr<ClientRegistry> clients = ClientRegistry::Create(*storage, random);

  CreatedClient MakeClient(Client spec) {
    auto c = clients->Create(std::move(spec));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : CreatedClient{};
  }
  CreatedClient WebClient(std::vector<std::string> callbacks = {"https://app.example/cb"}) {
    Client c;
    c.name = "web";
    c.callbacks = std::move(callbacks);
    return MakeClient(c);
  }
  CreatedClient SpaClient(std::vector<std::string> callbacks = {"https://spa.example/cb"}) {
    Client c;
    c.name = "spa";
    c.app_type = "spa";
    c.callbacks = std::move(callbacks);
    return MakeClient(c);
  }
};

}  // namespace gatehouse::oauth::testing
