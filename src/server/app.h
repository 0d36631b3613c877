#pragma once
// The composition root: builds every module from a validated Config, names the
// concrete storage backend, registers the routes, and owns the HTTP server.
// Nothing else in the tree knows which backend or which modules are wired.

#include <cstdint>
#include <memory>

#include "config/config.h"
#include "core/status.h"

namespace gatehouse::server {

class App {
 public:
  // Opens (creating if absent) the data directory and the database, applies
  // migrations, generates signing keys and server secrets when absent, and
  // builds the router. Does not listen yet. Errors: InvalidArgument (bad data
  // directory), Unavailable/Internal from storage.
  static Result<std::unique_ptr<App>> Create(const config::Config& config);
  virtual ~App() = default;

  // Binds and starts serving. Unavailable if the address is in use.
  virtual Status Start() = 0;
  // The bound port (useful with port 0).
  virtual uint16_t port() const = 0;
  // Stops accepting, drains in-flight requests (config.drain_timeout_ms),
  // stops background jobs. Idempotent.
  virtual void Shutdown() = 0;

  // What `gatehouse init` reports: the signing key ids, per algorithm.
  struct KeySummary {
    std::string alg;
    std::string kid;
  };
  virtual std::vector<KeySummary> ActiveKeys() = 0;
};

}  // namespace gatehouse::server
