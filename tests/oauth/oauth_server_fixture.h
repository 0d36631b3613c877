#pragma once
// An in-process OAuth server for endpoint tests: real SQLite storage, real
// KeyStore, real accounts::UserService (cheap argon2), a scriptable login
// pipeline, and RegisterOAuthRoutes on an http::Router driven through
// Router::Lookup + the handler (no sockets).

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "accounts/user_service.h"
#include "core/base64url.h"
#include "crypto/digest.h"
#include "http/router.h"
#include "jose/key_store.h"
#include "oauth/authorization_code.h"
#include "oauth/oauth_routes.h"
#include "oauth/opaque_access_token.h"
#include "oauth/test_env.h"

namespace gatehouse::oauth::testing {

inline constexpr const char* kIssuer = "https://id.example.com/";
// The secret sealing opaque (userinfo-only) access tokens in these tests.
inline constexpr const char* kAccessTokenKey = "unit-test-access-token-key-0123456789";

// Lets every login through unless told otherwise; remembers what it saw.
class ScriptedPipeline : public LoginPipeline {
 public:
  void Run(LoginRequest request, std::function<void(LoginOutcome)> done) override {
    seen.push_back(request);
    LoginOutcome o = next;
    if (o.kind == LoginOutcome::Kind::kContinue && o.user.is_null()) o.user = request.user;
    done(o);
  }
  LoginOutcome next;
  std::vector<LoginRequest> seen;
};

class OAuthServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(env_.storage, nullptr);
    auto keys = jose::KeyStore::Create(env_.storage->signing_keys(), env_.clock);
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = std::move(*keys);
    ASSERT_TRUE(keys_->EnsureKeys().ok());
    accounts::UserServiceOptions uo;
    uo.argon2_memory_kib = 64;
    uo.argon2_iterations = 1;
    users_ = accounts::UserService::Create(*env_.storage, env_.clock, env_.random, uo);
    RegisterOAuthRoutes(
        router_, OAuthDeps{*env_.storage, *keys_, *users_, *env_.clients, pipeline_, env_.clock,
                           env_.random, TokenOptions{.access_token_key = kAccessTokenKey}});
    auto u = users_->SignUp({.email = "ada@example.com",
                             .password = "correct horse battery",
                             .given_name = "Ada",
                             .family_name = "Lovelace",
                             .name = "Ada Lovelace",
                             .nickname = "ada",
                             .email_verified = true});
    ASSERT_TRUE(u.ok()) << u.status().ToString();
    user_ = *u;
    web_ = env_.WebClient({"https://app.example.com/cb"});
    spa_ = env_.SpaClient({"https://spa.example.com/cb"});
  }

  using Pairs = std::vector<std::pair<std::string, std::string>>;

  http::Response Call(const std::string& method, const std::string& path, std::string body = "",
                      Pairs headers = {}) {
    http::Request req;
    req.method = method;
    req.target = path;
    req.path = path;
    req.body = std::move(body);
    req.tls = true;
    req.remote_ip = "203.0.113.7";
    req.headers.emplace("Host", "id.example.com");
    for (auto& [k, v] : headers) req.headers.emplace(k, v);
    auto match = router_.Lookup(method, path);
    EXPECT_EQ(match.kind, http::Router::Match::Kind::kFound) << method << " " << path;
    if (match.kind != http::Router::Match::Kind::kFound) return {};
    if (match.route->handler) return match.route->handler(req);
    http::Response out;
    bool called = false;
    match.route->async_handler(req, [&](http::Response r) {
      out = std::move(r);
      called = true;
    });
    EXPECT_TRUE(called);
    return out;
  }

  static std::string FormBody(const Pairs& form) {
    std::string body;
    for (const auto& [k, v] : form) {
      if (!body.empty()) body += '&';
      body += http::UrlEncode(k) + "=" + http::UrlEncode(v);
    }
    return body;
  }

  http::Response Token(const Pairs& form, Pairs headers = {}) {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return Call("POST", "/oauth/token", FormBody(form), headers);
  }
  static std::pair<std::string, std::string> Basic(const CreatedClient& c) {
    return {"Authorization", "Basic " + Base64Encode(c.client.client_id + ":" + c.client_secret)};
  }
  // A token request authenticated as the confidential web client.
  http::Response WebToken(Pairs form) { return Token(form, {Basic(web_)}); }

  static nlohmann::json Body(const http::Response& r) {
    return nlohmann::json::parse(r.body, nullptr, false);
  }
  static std::string Error(const http::Response& r) { return Body(r).value("error", ""); }

  std::string Code(const CreatedClient& client, std::string scope, std::string challenge = "",
                   std::string redirect_uri = "", std::string audience = "") {
    CodeGrant g;
    g.client_id = client.client.client_id;
    g.user_id = user_.user_id();
    g.redirect_uri = redirect_uri.empty() ? client.client.callbacks.front() : redirect_uri;
    g.scope = std::move(scope);
    g.nonce = "n-0S6";
    g.auth_time = env_.clock.NowSeconds() - 5;
    g.session_id = "sess-1";
    g.issuer = kIssuer;
    g.audience = std::move(audience);
    if (!challenge.empty()) {
      g.code_challenge = challenge;
      g.code_challenge_method = "S256";
    }
    g.user = user_.ToJson();
    auto code = IssueAuthorizationCode(*env_.storage, env_.random, env_.clock, g);
    EXPECT_TRUE(code.ok());
    return code.ok() ? *code : "";
  }
  static std::string Challenge(const std::string& verifier) {
    return Base64UrlEncode(crypto::Digest(crypto::Hash::kSha256, verifier));
  }

  http::Response Userinfo(const std::string& access_token) {
    return Call("GET", "/userinfo", "", {{"Authorization", "Bearer " + access_token}});
  }

  // The claims of an opaque access token sealed with kAccessTokenKey (null if it is not one).
  static nlohmann::json OpaqueClaims(const std::string& token) {
    auto claims = OpenAccessToken(token, kAccessTokenKey);
    return claims.ok() ? *claims : nlohmann::json();
  }

  // Decodes a JWT's claims without verifying (the endpoints verify).
  static nlohmann::json Claims(const std::string& jwt) {
    auto a = jwt.find('.');
    auto b = jwt.find('.', a + 1);
    auto payload = Base64UrlDecode(jwt.substr(a + 1, b - a - 1));
    return payload ? nlohmann::json::parse(*payload) : nlohmann::json();
  }

  OAuthEnv env_;
  std::unique_ptr<jose::KeyStore> keys_;
  std::unique_ptr<accounts::UserService> users_;
  ScriptedPipeline pipeline_;
  http::Router router_;
  accounts::User user_;
  CreatedClient web_, spa_;
};

}  // namespace gatehouse::oauth::testing
