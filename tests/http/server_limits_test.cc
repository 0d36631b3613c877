// Limits and timeouts: header size, body size, slow clients, connection caps.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "http/raw_client.h"
#include "http/server.h"
#include "http/test_server.h"

namespace gatehouse::http {
namespace {

using namespace std::chrono_literals;
using testing::Get;
using testing::RawClient;

std::shared_ptr<Router> MakeRouter() {
  auto router = std::make_shared<Router>();
  router->Add("GET", "/hello", [](Request&) { return Response::Text(200, "hello"); });
  router->Add("POST", "/upload", [](Request& r) {
    return Response::Text(200, std::to_string(r.body.size()));
  });  // default 64 KiB limit
  router->Add(
      "POST", "/big", [](Request& r) { return Response::Text(200, std::to_string(r.body.size())); },
      RouteOptions{.max_body_bytes = 256 * 1024});
  return router;
}

void ExpectJsonErrorAndClose(RawClient& c, int status, const std::string& error) {
  auto r = c.Read(5s);
  ASSERT_TRUE(r) << "no response, expected " << status;
  EXPECT_EQ(r->status, status);
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_EQ(r->Header("content-type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"], error);
  EXPECT_TRUE(c.WaitClosed(3s));
}

class LimitsTest : public ::testing::Test {
 protected:
  void Start(ServerOptions o = {}) {
    o.access_log = false;
    server_ = testing::StartServer(MakeRouter(), o);
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(1s);
  }
  std::unique_ptr<RawClient> Connect() { return RawClient::Connect(server_->port()); }
  std::unique_ptr<Server> server_;
};

TEST_F(LimitsTest, HugeHeaderIs431) {
  Start();
  auto c = Connect();
  ASSERT_TRUE(c);
  std::string req =
      "GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n";
  c->SendUpTo(req, 2s);
  ExpectJsonErrorAndClose(*c, 431, "request_header_fields_too_large");
}

TEST_F(LimitsTest, HeaderJustUnderLimitIsFine) {
  Start();
  auto c = Connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(Get("/hello", "X-Big: " + std::string(15000, 'a') + "\r\n")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(LimitsTest, TenMiBContentLengthIs413WithoutReadingIt) {
  Start();
  auto c = Connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10485760\r\n\r\n"));
  // Only a small part of the body is ever sent: the answer must not wait for the rest.
  c->SendUpTo(std::string(128 * 1024, 'x'), 1s);
  ExpectJsonErrorAndClose(*c, 413, "request_too_large");
}

TEST_F(LimitsTest, TenMiBChunkedIs413) {
  Start();
  auto c = Connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";  // 64 KiB chunks
  std::string stream;
  for (int i = 0; i < 160; ++i) stream += chunk;  // 10 MiB in total
  size_t sent = c->SendUpTo(stream, 2s);
  EXPECT_LT(sent, stream.size());  // the server stopped reading long before the end
  ExpectJsonErrorAndClose(*c, 413, "request_too_large");
}

TEST_F(LimitsTest, PerRouteLimitAllowsLargerBodies) {
  Start();
  auto c = Connect();
  ASSERT_TRUE(c);
  std::string body(200 * 1024, 'x');
  ASSERT_TRUE(c->Send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, std::to_string(body.size()));
}

TEST_F(LimitsTest, SlowlorisGets408WhileOthersAreServed) {
  ServerOptions o;
  o.header_timeout = 1500ms;
  o.io_threads = 1;  // one thread, so the slow client must not block it
  Start(o);
  auto slow = Connect();
  ASSERT_TRUE(slow);
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    std::string req = Get("/hello", "X-Padding: " + std::string(100, 'p') + "\r\n");
    for (char ch : req) {
      if (stop || !slow->Send(std::string_view(&ch, 1))) return;
      for (int i = 0; i < 10 && !stop; ++i) std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(200ms);
  auto fast = Connect();
  ASSERT_TRUE(fast);
  ASSERT_TRUE(fast->Send(Get("/hello")));
  auto r = fast->Read(2s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ExpectJsonErrorAndClose(*slow, 408, "request_timeout");
  stop = true;
  trickle.join();
}

TEST_F(LimitsTest, SlowBodyGets408) {
  ServerOptions o;
  o.body_timeout = 500ms;
  Start(o);
  auto c = Connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
  ExpectJsonErrorAndClose(*c, 408, "request_timeout");
}

TEST_F(LimitsTest, MaxRequestsPerConnection) {
  ServerOptions o;
  o.max_requests_per_connection = 2;
  Start(o);
  auto c = Connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(Get("/hello") + Get("/hello")));
  auto r1 = c->Read(), r2 = c->Read();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->Header("connection"), "");
  EXPECT_EQ(r2->Header("connection"), "close");
  EXPECT_TRUE(c->WaitClosed(3s));
}

// Behaviour chosen for the connection cap: over max_connections a new plain
// connection gets an immediate 503 + close, so excess clients cost nothing
// and fail fast; once existing connections end (clients leave, or idle ones
// reach idle_timeout) new clients are served again.
TEST_F(LimitsTest, ThousandIdleConnections) {
  rlimit lim{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
  if (lim.rlim_cur < 2300 && lim.rlim_max >= 2300) {
    lim.rlim_cur = 2300;  // both ends of 1,000 connections live in this process
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
  }
  if (lim.rlim_cur < 2300) GTEST_SKIP() << "RLIMIT_NOFILE too low";

  ServerOptions o;
  o.max_connections = 500;
  // Long enough that the steps below finish before idle connections expire.
  o.idle_timeout = 4000ms;
  Start(o);
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 1000; ++i) {
    auto c = Connect();
    ASSERT_TRUE(c) << i;
    idle.push_back(std::move(c));
  }
  // Exactly the excess ones are turned away with 503 and closed.
  std::this_thread::sleep_for(300ms);  // let the rejections arrive
  int rejected = 0;
  for (auto& c : idle) {
    auto r = c->Read(0ms);
    if (r) {
      EXPECT_EQ(r->status, 503);
      EXPECT_EQ(r->Header("connection"), "close");
      EXPECT_TRUE(c->WaitClosed(1s));
      ++rejected;
    }
  }
  EXPECT_EQ(rejected, 500);

  // While at the cap a newcomer is turned away too ...
  auto newcomer = Connect();
  ASSERT_TRUE(newcomer);
  auto r = newcomer->Read(2s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  // ... but gets in once a few idle clients leave.
  int closed = 0;
  for (auto& c : idle) {
    if (closed == 5) break;
    if (c->WaitClosed(0ms)) continue;  // a rejected one
    c->Close();
    ++closed;
  }
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    auto c = Connect();
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->Send(Get("/hello")));
    auto reply = c->Read(2s);
    served = reply && reply->status == 200;
    if (!served) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(served);

  // The remaining idle connections are closed by the server after idle_timeout.
  for (auto& c : idle) EXPECT_TRUE(c->WaitClosed(8s));
}

}  // namespace
}  // namespace gatehouse::http
