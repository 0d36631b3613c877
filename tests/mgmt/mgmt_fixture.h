#pragma once
// Shared fixture for Management API tests: a temp SQLite storage, real key
// store, users, clients, the OAuth routes (tokens come from the real
// /oauth/token client_credentials grant) and the mgmt routes on one Router.
// The rules engine is a fake whose Compile refuses scripts containing
// "SYNTAX" (the SpiderMonkey engine has its own tests).

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "accounts/user_service.h"
#include "core/clock.h"
#include "crypto/secure_random.h"
#include "http/params.h"
#include "http/router.h"
#include "jose/key_store.h"
#include "mgmt/mgmt_routes.h"
#include "mgmt/scopes.h"
#include "oauth/client_registry.h"
#include "oauth/oauth_routes.h"
#include "rules/engine.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::mgmt::testing {

inline constexpr const char* kHost = "id.example.com";
inline constexpr const char* kIssuer = "https://id.example.com/";
inline constexpr const char* kAudience = "https://id.example.com/api/v2/";

class FakeEngine final : public rules::Engine {
 public:
  Status Compile(const rules::Rule& rule) override {
    if (rule.script.find("SYNTAX") != std::string::npos) {
      return InvalidArgument("SyntaxError: missing ) after argument list (line 2)");
    }
    return Status::Ok();
  }
  void Run(std::vector<rules::Rule>, rules::ExecutionInput, rules::HostCallbacks&,
           std::function<void(rules::Outcome)> done) override {
    done(rules::Outcome{});
  }
  int threads() const override { return 1; }
};

class NoopPipeline final : public oauth::LoginPipeline {
 public:
  void Run(oauth::LoginRequest, std::function<void(oauth::LoginOutcome)> done) override {
    done(oauth::LoginOutcome{});
  }
};

class MgmtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(storage_, nullptr);
    auto keys = jose::KeyStore::Create(storage_->signing_keys(), clock_);
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = std::move(*keys);
    ASSERT_TRUE(keys_->EnsureKeys().ok());
    accounts::UserServiceOptions uo;
    uo.argon2_memory_kib = 64;
    uo.argon2_iterations = 1;
    users_ = accounts::UserService::Create(*storage_, clock_, random_, uo);
    clients_ = oauth::ClientRegistry::Create(*storage_, random_);
    router_ = std::make_shared<http::Router>();
    oauth::RegisterOAuthRoutes(
        *router_, oauth::OAuthDeps{*storage_, *keys_, *users_, *clients_, pipeline_, clock_,
                                   random_, oauth::TokenOptions{}});
    RegisterMgmtRoutes(*router_, MgmtDeps{.storage = *storage_,
                                          .keys = *keys_,
                                          .users = *users_,
                                          .clients = *clients_,
                                          .engine = engine_,
                                          .clock = clock_,
                                          .random = random_});
    admin_token_ = TokenFor(AllScopes());
  }

  // A machine-to-machine client with `scopes`, and its access token from /oauth/token.
  std::string TokenFor(const std::vector<std::string>& scopes) {
    oauth::Client spec;
    spec.name = "m2m";
    spec.app_type = "non_interactive";
    spec.grant_types = {"client_credentials"};
    spec.management_scopes = scopes;
    auto c = clients_->Create(spec);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    if (!c.ok()) return "";
    last_client_id_ = c->client.client_id;
    std::string body =
        "grant_type=client_credentials&client_id=" + http::UrlEncode(c->client.client_id) +
        "&client_secret=" + http::UrlEncode(c->client_secret) + "&audience=" +
        http::UrlEncode((tls_ ? "https://" : "http://") + std::string(kHost) + "/api/v2/");
    auto res =
        Raw("POST", "/oauth/token", body, {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(res.status, 200) << res.body;
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    return j.is_object() ? j.value("access_token", "") : "";
  }

  using Pairs = std::vector<std::pair<std::string, std::string>>;

  http::Response Raw(const std::string& method, const std::string& target, std::string body = "",
                     Pairs headers = {}) {
    http::Request req;
    req.method = method;
    req.target = target;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) {
      req.raw_query = target.substr(q + 1);
      auto parsed = http::ParseQuery(req.raw_query);
      if (parsed.ok()) req.query = *parsed;
    }
    req.body = std::move(body);
    req.tls = tls_;
    req.remote_ip = "203.0.113.7";
    req.headers.emplace("Host", kHost);
    for (auto& [k, v] : headers) req.headers.emplace(k, v);
    auto match = router_->Lookup(method, req.target.substr(0, q));
    if (match.kind != http::Router::Match::Kind::kFound) {
      http::Response r;
      r.status = match.kind == http::Router::Match::Kind::kNotFound ? 404 : 405;
      return r;
    }
    req.path_params = match.path_params;
    if (match.route->handler) return match.route->handler(req);
    http::Response out;
    match.route->async_handler(req, [&](http::Response r) { out = std::move(r); });
    return out;
  }

  // An authenticated API call with `token` (the admin token by default).
  http::Response Api(const std::string& method, const std::string& target,
                     const nlohmann::json& body = nullptr, std::string token = "") {
    if (token.empty()) token = admin_token_;
    Pairs h = {{"Authorization", "Bearer " + token}};
    std::string text;
    if (!body.is_null()) {
      text = body.dump();
      h.emplace_back("Content-Type", "application/json");
    }
    return Raw(method, target, text, h);
  }
  http::Response ApiText(const std::string& method, const std::string& target, std::string text) {
    return Raw(method, target, std::move(text),
               {{"Authorization", "Bearer " + admin_token_}, {"Content-Type", "application/json"}});
  }

  static nlohmann::json Body(const http::Response& r) {
    return nlohmann::json::parse(r.body, nullptr, false);
  }

  // Expects Auth0's error shape with `status` and `error_code`.
  static void ExpectError(const http::Response& r, int status, const std::string& error_code) {
    EXPECT_EQ(r.status, status) << r.body;
    auto j = Body(r);
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j.value("statusCode", 0), status) << r.body;
    EXPECT_TRUE(j.contains("error") && j["error"].is_string()) << r.body;
    EXPECT_TRUE(j.contains("message") && j["message"].is_string()) << r.body;
    if (!error_code.empty()) {
      EXPECT_EQ(j.value("errorCode", ""), error_code) << r.body;
    }
  }

  std::string CreateUser(const std::string& email) {
    auto r = Api("POST", "/api/v2/users",
                 {{"email", email},
                  {"password", "correct horse battery"},
                  {"connection", accounts::kDatabaseConnection}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r).value("user_id", "");
  }

  FakeClock clock_{1'700'000'000};
  std::unique_ptr<storage::Storage> storage_ = storage::testing::OpenTempSqlite(clock_);
  Random& random_ = crypto::SecureRandom::Instance();
  std::unique_ptr<jose::KeyStore> keys_;
  std::unique_ptr<accounts::UserService> users_;
  std::unique_ptr<oauth::ClientRegistry> clients_;
  FakeEngine engine_;
  NoopPipeline pipeline_;
  std::shared_ptr<http::Router> router_;
  std::string admin_token_;
  bool tls_ = true;  // false: requests look like plain HTTP (issuer http://...)
  std::string last_client_id_;
};

}  // namespace gatehouse::mgmt::testing
