#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "http/raw_client.h"
#include "http/test_server.h"

namespace gatehouse::http {
namespace {

using testing::RawClient;

// The router's guard answers before sync and async handlers alike, and the
// handler never runs for a refused request.
TEST(RouterGuard, RefusesBeforeAnyHandlerRuns) {
  auto router = std::make_shared<Router>();
  std::atomic<int> handled{0};
  router->Add("GET", "/sync", [&](Request&) {
    ++handled;
    return Response::Text(200, "sync");
  });
  router->AddAsync("GET", "/async", [&](Request&, Done done) {
    ++handled;
    std::thread([done] { done(Response::Text(200, "async")); }).detach();
  });
  router->SetGuard([](const Request& req) -> std::optional<Response> {
    if (req.Host() == "good.example") return std::nullopt;
    return Response::Error(421, "misdirected_request", "wrong host");
  });
  auto server = testing::StartServer(router);
  ASSERT_TRUE(server);

  auto client = RawClient::Connect(server->port());
  ASSERT_TRUE(client);
  for (const char* path : {"/sync", "/async"}) {
    ASSERT_TRUE(
        client->Send(std::string("GET ") + path + " HTTP/1.1\r\nHost: evil.example\r\n\r\n"));
    auto refused = client->Read();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 421);
    EXPECT_NE(refused->body.find("misdirected_request"), std::string::npos);
  }
  EXPECT_EQ(handled.load(), 0);
  for (const char* path : {"/sync", "/async"}) {
    ASSERT_TRUE(
        client->Send(std::string("GET ") + path + " HTTP/1.1\r\nHost: good.example\r\n\r\n"));
    auto ok = client->Read();
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
  }
  EXPECT_EQ(handled.load(), 2);
  server->Shutdown(std::chrono::seconds(1));
}

}  // namespace
}  // namespace gatehouse::http

namespace gatehouse::http {
namespace {

// ServerOptions::max_body_bytes caps every route, whatever the route allows.
TEST(ServerBodyCap, CapsRoutesThatAllowMore) {
  auto router = std::make_shared<Router>();
  router->Add(
      "POST", "/upload",
      [](Request& req) { return Response::Text(200, std::to_string(req.body.size())); },
      RouteOptions{.max_body_bytes = 1 << 20});
  ServerOptions options;
  options.max_body_bytes = 1024;
  auto server = testing::StartServer(router, options);
  ASSERT_TRUE(server);
  auto send = [&](size_t n) {
    auto client = testing::RawClient::Connect(server->port());
    EXPECT_TRUE(client);
    client->Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(n) +
                 "\r\n\r\n" + std::string(n, 'a'));
    auto reply = client->Read();
    return reply ? reply->status : 0;
  };
  EXPECT_EQ(send(1024), 200);
  EXPECT_EQ(send(2048), 413);
  server->Shutdown(std::chrono::seconds(1));
}

}  // namespace
}  // namespace gatehouse::http
