// 20 parallel PATCHes of distinct metadata keys on one user, over real HTTP:
// every one of them survives (compare-and-set with retry, SPEC §5.2).

#include <barrier>
#include <thread>

#include "http/raw_client.h"
#include "http/server.h"
#include "mgmt/mgmt_fixture.h"

namespace gatehouse::mgmt::testing {
namespace {

class MgmtConcurrencyTest : public MgmtTest {};

TEST_F(MgmtConcurrencyTest, TwentyParallelPatchesOfDistinctKeysAllSurvive) {
  const std::string id = CreateUser("race@example.com");
  tls_ = false;  // the test server speaks plain HTTP: the token's issuer must match
  const std::string token = TokenFor(AllScopes());
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 4;
  auto server = http::Server::Create(options, router_);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_TRUE((*server)->Start().ok());
  const uint16_t port = (*server)->port();

  constexpr int kPatches = 20;
  std::vector<int> statuses(kPatches, 0);
  std::barrier sync(kPatches);
  std::vector<std::thread> threads;
  for (int i = 0; i < kPatches; ++i) {
    threads.emplace_back([&, i] {
      auto client = http::testing::RawClient::Connect(port);
      if (!client) return;
      nlohmann::json body = {
          {i % 2 ? "user_metadata" : "app_metadata", {{"k" + std::to_string(i), i}}}};
      std::string text = body.dump();
      std::string req =
          "PATCH /api/v2/users/" + http::UrlEncode(id) +
          " HTTP/1.1\r\nHost: " + std::string(kHost) + "\r\nAuthorization: Bearer " + token +
          "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(text.size()) +
          "\r\n\r\n" + text;
      sync.arrive_and_wait();
      if (!client->Send(req)) return;
      auto reply = client->Read(std::chrono::seconds(30));
      if (reply) statuses[i] = reply->status;
    });
  }
  for (auto& t : threads) t.join();
  (*server)->Shutdown(std::chrono::milliseconds(1000));

  for (int i = 0; i < kPatches; ++i) EXPECT_EQ(statuses[i], 200) << "patch " << i;
  auto user = users_->Get(id);
  ASSERT_TRUE(user.ok());
  auto j = user->ToJson();
  for (int i = 0; i < kPatches; ++i) {
    const auto& md = j[i % 2 ? "user_metadata" : "app_metadata"];
    EXPECT_EQ(md.value("k" + std::to_string(i), -1), i) << "key k" << i << " lost";
  }
}

}  // namespace
}  // namespace gatehouse::mgmt::testing
