// A minimal server for load drivers (wrk): GET /hello, POST /echo.
//   http_hello_server [port] [io_threads]   then e.g.
//   wrk -t1 -c50 -d5s http://127.0.0.1:8090/hello
// Results are reported, never asserted.
#include <cstdlib>
#include <iostream>

#include "core/logging.h"
#include "http/server.h"

int main(int argc, char** argv) {
  using namespace gatehouse;
  log::Init("warn");
  auto router = std::make_shared<http::Router>();
  router->Add("GET", "/hello", [](http::Request&) { return http::Response::Text(200, "hello"); });
  router->Add("POST", "/echo", [](http::Request& r) { return http::Response::Text(200, r.body); });
  http::ServerOptions o;
  o.port = argc > 1 ? static_cast<uint16_t>(std::atoi(argv[1])) : 8090;
  o.io_threads = argc > 2 ? std::atoi(argv[2]) : 2;
  o.access_log = false;
  auto server = http::Server::Create(o, router);
  if (!server.ok()) return std::cerr << server.status().ToString() << "\n", 1;
  if (auto s = (*server)->Start(); !s.ok()) return std::cerr << s.ToString() << "\n", 1;
  std::cerr << "listening on " << (*server)->port() << "\n";
  http::WaitForTerminationSignal();
  (*server)->Shutdown(std::chrono::seconds(5));
  return 0;
}
