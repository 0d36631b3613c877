#pragma once
// In-process harness for the browser flow: a Router with the flow and OAuth
// routes over real SQLite and the real services, a browser-like cookie jar,
// and helpers to drive a login. No sockets: requests go straight to the
// matched handler (every handler here answers before returning).

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "accounts/user_service.h"
#include "core/clock.h"
#include "flow/flow_routes.h"
#include "flow/pass_through_pipeline.h"
#include "flow/rules_pipeline.h"
#include "flow/tenant_log.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "jose/key_store.h"
#include "oauth/client_registry.h"
#include "rules/engine.h"
#include "storage/storage.h"

namespace gatehouse::flow::testing {

inline constexpr const char* kHost = "id.example.com";
inline constexpr const char* kIssuer = "http://id.example.com/";
inline constexpr const char* kCallback = "https://app.example.com/callback";
inline constexpr const char* kLogoutUrl = "https://app.example.com/bye";
inline constexpr const char* kPassword = "correct horse battery";

// One browser: its cookies, sent back like a browser would (no expiry handling
// beyond Max-Age=0 deleting a cookie).
class Browser {
 public:
  std::string CookieHeader() const;
  void Absorb(const http::Response& response);
  std::optional<std::string> Get(const std::string& name) const;
  void Set(const std::string& name, const std::string& value) { jar_[name] = value; }
  void Clear() { jar_.clear(); }

 private:
  std::map<std::string, std::string> jar_;
};

struct HarnessOptions {
  // Run the real SpiderMonkey engine with `SetRules` rules (redirects, /continue).
  bool rules = false;
  FlowOptions flow;
};

class FlowHarness {
 public:
  explicit FlowHarness(HarnessOptions options = {});
  ~FlowHarness();

  // Sends a request as `browser` (null: no cookies), absorbing its Set-Cookies.
  http::Response Get(const std::string& target, Browser* browser);
  http::Response PostForm(const std::string& target, const std::string& body, Browser* browser);

  // The /authorize query for the test client with PKCE and state, plus `extra`
  // ("&prompt=none").
  std::string AuthorizeTarget(const std::string& extra = "") const;

  // authorize -> login page; returns the login page and sets tx/csrf.
  struct LoginPage {
    http::Response response;
    std::string tx;
    std::string csrf;
  };
  LoginPage OpenLoginPage(Browser& browser, const std::string& extra = "");
  // POSTs the login form.
  http::Response SubmitLogin(Browser& browser, const std::string& tx, const std::string& csrf,
                             const std::string& username, const std::string& password);

  // The rules the next login runs (with `rules`); order = position.
  void SetRules(std::vector<std::string> scripts);
  // Tenant log events so far (with `rules`).
  std::vector<storage::LogEvent> Events();
  // The same request sent with an extra header.
  http::Response GetWith(const std::string& target, Browser* browser, const std::string& header,
                         const std::string& value);
  std::string host = kHost;  // Host header sent
  // Sends `request` (method, target, headers, body set) like Get/PostForm.
  // Thread-safe when `browser` is not shared between threads.
  http::Response Send(http::Request request, Browser* browser);

  FakeClock clock;
  std::unique_ptr<storage::Storage> storage;
  std::unique_ptr<accounts::UserService> users;
  std::unique_ptr<oauth::ClientRegistry> clients;
  std::unique_ptr<jose::KeyStore> keys;
  PassThroughPipeline pipeline;
  http::Router router;
  oauth::Client client;  // public SPA client with kCallback and kLogoutUrl
  std::string user_id;   // "ann@example.com" / kPassword
  std::string verifier;  // PKCE verifier matching AuthorizeTarget's challenge
  bool tls = false;
  std::unique_ptr<rules::Engine> engine;
  std::unique_ptr<TenantLog> tenant_log;
  std::unique_ptr<RulesPipeline> rules_pipeline;

 private:
  std::mutex mu_;
  std::vector<rules::Rule> rules_;
  std::vector<storage::LogEvent> events_;
};

// Value of hidden input `name` in an HTML page ("" when absent).
std::string HiddenInput(const std::string& html, const std::string& name);
// The query (or fragment) parameter `name` of a URL, decoded ("" when absent).
std::string UrlParam(const std::string& url, const std::string& name);

}  // namespace gatehouse::flow::testing
