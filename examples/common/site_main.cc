#include "common/site_main.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "http/server.h"

namespace gatehouse::examples {

Result<std::string> RequireEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return InvalidArgument(std::string("missing environment variable ") + name);
  }
  return std::string(value);
}

std::string EnvOr(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback : std::string(value);
}

Status ParseListen(const std::string& listen, std::string* address, uint16_t* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return InvalidArgument("listen: want ADDR:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  char* end = nullptr;
  const long p = std::strtol(listen.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || p < 0 || p > 65535) return InvalidArgument("listen: bad port");
  *address = host;
  *port = static_cast<uint16_t>(p);
  return Status::Ok();
}

int ServeUntilSignal(std::shared_ptr<const http::Router> router, const std::string& listen,
                     const std::string& name) {
  http::ServerOptions options;
  if (Status s = ParseListen(listen, &options.listen_address, &options.port); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), s.message().c_str());
    return 1;
  }
  options.access_log = false;
  auto server = http::Server::Create(options, std::move(router));
  if (!server.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), server.status().ToString().c_str());
    return 1;
  }
  if (Status s = (*server)->Start(); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), s.ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "%s listening on http://%s:%u/\n", name.c_str(),
               options.listen_address.c_str(), (*server)->port());
  http::WaitForTerminationSignal();
  (*server)->Shutdown(std::chrono::seconds(5));
  return 0;
}

}  // namespace gatehouse::examples
