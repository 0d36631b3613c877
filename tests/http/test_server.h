#pragma once
// Starts an http::Server on an ephemeral 127.0.0.1 port for tests.

#include <gtest/gtest.h>

#include <memory>

#include "http/server.h"

namespace gatehouse::http::testing {

inline std::unique_ptr<Server> StartServer(std::shared_ptr<Router> router,
                                           ServerOptions options = {}) {
  options.listen_address = "127.0.0.1";
  options.port = 0;
  auto server = Server::Create(std::move(options), std::move(router));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  if (!server.ok()) return nullptr;
  Status started = (*server)->Start();
  EXPECT_TRUE(started.ok()) << started.ToString();
  if (!started.ok()) return nullptr;
  return std::move(server).value();
}

}  // namespace gatehouse::http::testing
