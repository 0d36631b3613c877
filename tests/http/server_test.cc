// Request/response behaviour of the server over real sockets.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/raw_client.h"
#include "http/test_server.h"

namespace gatehouse::http {
namespace {

using namespace std::chrono_literals;
using testing::Get;
using testing::RawClient;

std::shared_ptr<Router> MakeRouter() {
  auto router = std::make_shared<Router>();
  router->Add("GET", "/hello", [](Request& r) {
    return Response::Text(200, "hello " + r.query.Get("name").value_or("?"));
  });
  router->Add("GET", "/echo/:id", [](Request& r) {
    nlohmann::json j = {{"path", r.path},
                        {"id", r.path_params["id"]},
                        {"raw_query", r.raw_query},
                        {"host", r.Host()},
                        {"cookie", r.Cookie("sid").value_or("")},
                        {"remote_ip", r.remote_ip},
                        {"tls", r.tls},
                        {"request_id", r.request_id}};
    return Response::Json(200, j);
  });
  router->Add("POST", "/form", [](Request& r) {
    auto form = r.Form();
    if (!form.ok()) return Response::Error(400, "invalid_request", form.status().message());
    return Response::Text(200, form->Get("a").value_or("") + "|" + std::to_string(r.body.size()));
  });
  router->Add("GET", "/throw", [](Request&) -> Response { throw std::runtime_error("boom"); });
  router->AddAsync("GET", "/async", [](Request& r, Done done) {
    std::string name = r.query.Get("name").value_or("?");
    std::thread([done, name] {
      std::this_thread::sleep_for(20ms);
      done(Response::Text(200, "async " + name));
    }).detach();
  });
  router->AddAsync("GET", "/async-dropped", [](Request&, Done) {});
  router->AddAsync("GET", "/async-twice", [](Request&, Done done) {
    done(Response::Text(200, "first"));
    done(Response::Text(200, "second"));
  });
  router->Add("GET", "/headers", [](Request&) {
    Response r = Response::Text(201, "x");
    r.SetHeader("Content-Length", "999");  // replaced by the server
    r.SetHeader("Cache-Control", "max-age=60");
    r.AddCookie({.name = "a", .value = "1"});
    r.AddCookie({.name = "b", .value = "2"});
    return r;
  });
  return router;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.access_log = false;
    server_ = testing::StartServer(MakeRouter(), o);
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(1s);
  }
  std::unique_ptr<RawClient> Connect() {
    auto c = RawClient::Connect(server_->port());
    EXPECT_NE(c, nullptr);
    return c;
  }
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, KeepAliveTwoRequestsOnOneConnection) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(Get("/hello?name=a")));
  auto r1 = c->Read();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 200);
  EXPECT_EQ(r1->body, "hello a");
  EXPECT_EQ(r1->Header("connection"), "");
  ASSERT_TRUE(c->Send(Get("/hello?name=b")));
  auto r2 = c->Read();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->body, "hello b");
  EXPECT_NE(r1->Header("x-request-id"), r2->Header("x-request-id"));
}

TEST_F(ServerTest, PipelinedRequestsAnsweredInOrder) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(Get("/async?name=1") + Get("/hello?name=2") + Get("/async?name=3")));
  auto r1 = c->Read(), r2 = c->Read(), r3 = c->Read();
  ASSERT_TRUE(r1 && r2 && r3);
  EXPECT_EQ(r1->body, "async 1");
  EXPECT_EQ(r2->body, "hello 2");
  EXPECT_EQ(r3->body, "async 3");
}

TEST_F(ServerTest, AsyncHandlerAnsweredFromAnotherThread) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(Get("/async?name=x")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "async x");
}

TEST_F(ServerTest, AsyncDoneDroppedIs500AndSecondCallIgnored) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(Get("/async-dropped") + Get("/async-twice") + Get("/hello?name=z")));
  auto r1 = c->Read(), r2 = c->Read(), r3 = c->Read();
  ASSERT_TRUE(r1 && r2 && r3);
  EXPECT_EQ(r1->status, 500);
  EXPECT_EQ(r2->body, "first");
  EXPECT_EQ(r3->body, "hello z");
}

TEST_F(ServerTest, RequestFields) {
  auto c = Connect();
  ASSERT_TRUE(
      c->Send("GET /echo/a%20b?x=1&y=%2F HTTP/1.1\r\nHost: Auth.Example:8443\r\nCookie: q=1; "
              "sid=\"s1\"\r\n\r\n"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["path"], "/echo/a b");
  EXPECT_EQ(j["id"], "a b");
  EXPECT_EQ(j["raw_query"], "x=1&y=%2F");
  EXPECT_EQ(j["host"], "auth.example:8443");
  EXPECT_EQ(j["cookie"], "s1");
  EXPECT_EQ(j["remote_ip"], "127.0.0.1");
  EXPECT_EQ(j["tls"], false);
  EXPECT_EQ(j["request_id"], r->Header("x-request-id"));
  EXPECT_EQ(r->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r->Header("content-type"), "application/json");
}

TEST_F(ServerTest, ResponseHeadersAndCachingLeftToHandlers) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(Get("/headers")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->Header("content-length"), "1");
  EXPECT_EQ(r->Header("cache-control"), "max-age=60");
  EXPECT_EQ(r->Header("set-cookie"),
            "a=1; Path=/; HttpOnly; SameSite=Lax, b=2; Path=/; HttpOnly; SameSite=Lax");
  ASSERT_TRUE(c->Send(Get("/hello")));
  r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("cache-control"), "");
}

TEST_F(ServerTest, FormPostWithContentLengthAndChunked) {
  auto c = Connect();
  std::string body = "a=x+y&b=2";
  ASSERT_TRUE(c->Send(
      "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "x y|9");
  ASSERT_TRUE(c->Send(
      "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Transfer-Encoding: chunked\r\n\r\n4\r\na=hi\r\n0\r\n\r\n"));
  r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hi|4");
}

TEST_F(ServerTest, ExpectContinue) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(
      "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  auto cont = c->Read();
  ASSERT_TRUE(cont);
  EXPECT_EQ(cont->status, 100);
  ASSERT_TRUE(c->Send("a=1"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "1|3");
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedAreJson) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(Get("/nope")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->Header("content-type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "not_found");
  ASSERT_TRUE(c->Send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->Header("allow"), "GET, HEAD");
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "method_not_allowed");
  // The connection is still usable after both.
  ASSERT_TRUE(c->Send(Get("/hello?name=ok")));
  r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello ok");
}

TEST_F(ServerTest, HeadDropsBodyKeepsLength) {
  auto c = Connect();
  ASSERT_TRUE(c->Send("HEAD /hello?name=abc HTTP/1.1\r\nHost: t\r\n\r\n" + Get("/hello?name=z")));
  auto r = c->Read(5s, /*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-length"), "9");
  EXPECT_TRUE(r->body.empty());
  auto next = c->Read();  // proves no body bytes were sent for HEAD
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "hello z");
}

TEST_F(ServerTest, HandlerExceptionIs500Json) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(Get("/throw")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->Header("content-type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "server_error");
}

TEST_F(ServerTest, MalformedRequestLineIs400AndClose) {
  for (std::string bad :
       {"GARBAGE\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n", "GET /hello HTTP/1.1\r\nNo colon\r\n\r\n",
        "GET http://evil/ HTTP/1.1\r\nHost: t\r\n\r\n", "GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
        // Request smuggling shapes.
        "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /form HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\nabcd"}) {
    auto c = Connect();
    ASSERT_TRUE(c->Send(bad));
    auto r = c->Read();
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_EQ(r->Header("connection"), "close") << bad;
    EXPECT_EQ(r->Header("content-type"), "application/json") << bad;
    EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "invalid_request") << bad;
    EXPECT_TRUE(c->WaitClosed(3s)) << bad;
  }
}

TEST_F(ServerTest, Http10ClosesByDefault) {
  auto c = Connect();
  ASSERT_TRUE(c->Send("GET /hello?name=old HTTP/1.0\r\n\r\n"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello old");
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_TRUE(c->WaitClosed(3s));
}

TEST_F(ServerTest, Http10KeepAlive) {
  auto c = Connect();
  ASSERT_TRUE(c->Send("GET /hello?name=a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("connection"), "keep-alive");
  ASSERT_TRUE(c->Send("GET /hello?name=b HTTP/1.0\r\n\r\n"));
  r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello b");
}

TEST_F(ServerTest, ConnectionCloseHonoured) {
  auto c = Connect();
  ASSERT_TRUE(c->Send(Get("/hello", "Connection: close\r\n")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_TRUE(c->WaitClosed(3s));
}

TEST(ServerStart, AddressInUseIsUnavailable) {
  auto first = testing::StartServer(MakeRouter());
  ASSERT_NE(first, nullptr);
  ServerOptions o;
  o.port = first->port();
  auto second = Server::Create(o, MakeRouter());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)->Start().code(), ErrorCode::kUnavailable);
  first->Shutdown(1s);
}

TEST(ServerStart, BadOptions) {
  ServerOptions o;
  o.tls_cert_file = "/nonexistent/cert.pem";
  EXPECT_EQ(Server::Create(o, MakeRouter()).status().code(), ErrorCode::kInvalidArgument);
  o.tls_key_file = "/nonexistent/key.pem";
  EXPECT_EQ(Server::Create(o, MakeRouter()).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(Server::Create(ServerOptions{}, nullptr).ok());
}

TEST(ServerShutdown, InFlightSlowRequestsFinishIdleOnesClose) {
  auto router = std::make_shared<Router>();
  router->Add("GET", "/slow", [](Request&) {
    std::this_thread::sleep_for(300ms);
    return Response::Text(200, "slow done");
  });
  router->AddAsync("GET", "/slow-async", [](Request&, Done done) {
    std::thread([done] {
      std::this_thread::sleep_for(300ms);
      done(Response::Text(200, "async done"));
    }).detach();
  });
  ServerOptions o;
  o.access_log = false;
  auto server = testing::StartServer(router, o);
  ASSERT_NE(server, nullptr);
  auto idle = RawClient::Connect(server->port());
  auto slow = RawClient::Connect(server->port());
  auto slow_async = RawClient::Connect(server->port());
  ASSERT_TRUE(idle && slow && slow_async);
  ASSERT_TRUE(slow->Send(Get("/slow")));
  ASSERT_TRUE(slow_async->Send(Get("/slow-async")));
  std::this_thread::sleep_for(100ms);  // let both requests reach their handlers
  std::thread stopper([&] { server->Shutdown(5s); });
  auto r1 = slow->Read();
  auto r2 = slow_async->Read();
  ASSERT_TRUE(r1);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r1->body, "slow done");
  EXPECT_EQ(r1->Header("connection"), "close");
  EXPECT_EQ(r2->body, "async done");
  EXPECT_EQ(r2->Header("connection"), "close");
  EXPECT_TRUE(idle->WaitClosed(3s));
  stopper.join();
  server->Wait();  // returns at once after Shutdown
  EXPECT_EQ(RawClient::Connect(server->port()), nullptr);
}

// Past the drain, a request whose async handler never answered is closed.
// (Before the I/O threads kept a work guard, they returned from run() once the
// acceptor closed, and the forced close never ran.)
TEST(ServerShutdown, UnansweredAsyncRequestIsClosedAfterTheDrain) {
  auto router = std::make_shared<Router>();
  auto held = std::make_shared<std::vector<Done>>();
  std::mutex mu;
  router->AddAsync("GET", "/hold", [held, &mu](Request&, Done done) {
    std::lock_guard lock(mu);
    held->push_back(std::move(done));
  });
  ServerOptions o;
  o.access_log = false;
  auto server = testing::StartServer(router, o);
  ASSERT_NE(server, nullptr);
  auto c = RawClient::Connect(server->port());
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Send(Get("/hold")));
  for (int i = 0; i < 500; ++i) {
    {
      std::lock_guard lock(mu);
      if (!held->empty()) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  server->Shutdown(100ms);
  EXPECT_TRUE(c->WaitClosed(2s));
  std::lock_guard lock(mu);
  held->clear();
}

}  // namespace
}  // namespace gatehouse::http
