// ServerOptions::response_gate: a handler's answer is held until the gate
// opens (the server opens it when the storage's group commit is on disk).
#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <mutex>
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

// A gate the test opens by hand; counts what it was asked.
class ManualGate {
 public:
  ResponseGate ForServer() {
    return {.is_open = [this] { return open_.load(); },
            .when_open =
                [this](std::function<void()> release) {
                  std::lock_guard lock(mu_);
                  held_.push_back(std::move(release));
                  cv_.notify_all();
                }};
  }
  void SetOpen(bool open) { open_ = open; }
  // Waits until `n` responses are held.
  bool WaitHeld(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 5s, [&] { return held_.size() >= n; });
  }
  // Releases every held response from another thread, as the storage does.
  void ReleaseAll() {
    std::vector<std::function<void()>> held;
    {
      std::lock_guard lock(mu_);
      held.swap(held_);
    }
    std::thread([held = std::move(held)] {
      for (const auto& release : held) release();
    }).join();
  }

 private:
  std::atomic<bool> open_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::function<void()>> held_;
};

class ServerGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto router = std::make_shared<Router>();
    router->Add("GET", "/sync", [](Request&) { return Response::Text(200, "sync"); });
    router->AddAsync("GET", "/async", [](Request&, Done done) {
      std::thread([done] { done(Response::Text(200, "async")); }).detach();
    });
    ServerOptions o;
    o.access_log = false;
    o.response_gate = gate_.ForServer();
    server_ = testing::StartServer(router, o);
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    gate_.ReleaseAll();
    if (server_) server_->Shutdown(1s);
  }
  ManualGate gate_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerGateTest, ClosedGateHoldsSyncAndAsyncAnswersUntilReleased) {
  auto c = RawClient::Connect(server_->port());
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Send(Get("/sync") + Get("/async")));
  ASSERT_TRUE(gate_.WaitHeld(1));
  // The handler answered, but nothing reaches the client while the gate holds it.
  EXPECT_FALSE(c->Read(150ms).has_value());
  gate_.ReleaseAll();
  auto first = c->Read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "sync");
  // The pipelined async answer is held the same way.
  ASSERT_TRUE(gate_.WaitHeld(1));
  EXPECT_FALSE(c->Read(150ms).has_value());
  gate_.ReleaseAll();
  auto second = c->Read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "async");
}

TEST_F(ServerGateTest, OpenGateSendsAtOnce) {
  gate_.SetOpen(true);
  auto c = RawClient::Connect(server_->port());
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Send(Get("/sync") + Get("/async")));
  auto first = c->Read(), second = c->Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "sync");
  EXPECT_EQ(second->body, "async");
}

TEST_F(ServerGateTest, LayerErrorsAreNotHeld) {
  auto c = RawClient::Connect(server_->port());
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Send(Get("/missing")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

TEST_F(ServerGateTest, ShutdownWithAHeldAnswerDoesNotHang) {
  auto c = RawClient::Connect(server_->port());
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Send(Get("/sync")));
  ASSERT_TRUE(gate_.WaitHeld(1));
  server_->Shutdown(100ms);
  // Releasing into the stopped server is harmless (the answer is dropped).
  gate_.ReleaseAll();
  EXPECT_TRUE(c->WaitClosed(2s));
}

}  // namespace
}  // namespace gatehouse::http
