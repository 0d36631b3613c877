#pragma once
// What the example programs' main() functions share: reading settings from
// the environment and serving one router until SIGTERM/SIGINT.

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/router.h"

namespace gatehouse::examples {

// The environment variable `name`; InvalidArgument naming it when unset or empty.
Result<std::string> RequireEnv(const char* name);
// The environment variable `name`, or `fallback` when unset or empty.
std::string EnvOr(const char* name, std::string fallback);

// Splits "ADDR:PORT" ("127.0.0.1:3000", "[::1]:3000"). InvalidArgument when malformed.
Status ParseListen(const std::string& listen, std::string* address, uint16_t* port);

// Serves `router` on `listen` until SIGTERM or SIGINT, then drains and
// returns 0; prints the reason and returns 1 when the server cannot start.
int ServeUntilSignal(std::shared_ptr<const http::Router> router, const std::string& listen,
                     const std::string& name);

}  // namespace gatehouse::examples
