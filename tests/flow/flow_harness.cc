#include "flow/flow_harness.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>

#include "core/base64url.h"
#include "crypto/digest.h"
#include "crypto/secure_random.h"
#include "flow/actions_source.h"
#include "http/params.h"
#include "oauth/oauth_routes.h"
#include "rules/spidermonkey/spidermonkey_engine.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::flow::testing {

std::string Browser::CookieHeader() const {
  std::string out;
  for (const auto& [name, value] : jar_) {
    if (!out.empty()) out += "; ";
    out += name + "=" + value;
  }
  return out;
}

void Browser::Absorb(const http::Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (!http::EqualsIgnoreCase(name, "Set-Cookie")) continue;
    auto eq = value.find('=');
    auto semi = value.find(';');
    std::string cookie = value.substr(0, eq);
    std::string v = value.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
    if (value.find("Max-Age=0") != std::string::npos) {
      jar_.erase(cookie);
    } else {
      jar_[cookie] = v;
    }
  }
}

std::optional<std::string> Browser::Get(const std::string& name) const {
  auto it = jar_.find(name);
  if (it == jar_.end()) return std::nullopt;
  return it->second;
}

FlowHarness::FlowHarness(HarnessOptions options) {
  storage = storage::testing::OpenTempSqlite(clock);
  if (!storage) return;
  auto& random = crypto::SecureRandom::Instance();
  accounts::UserServiceOptions user_options;
  // Cheap hashes: the tests count logins, not hash cost.
  user_options.argon2_memory_kib = 1024;
  user_options.argon2_iterations = 1;
  users = accounts::UserService::Create(*storage, clock, random, user_options);
  clients = oauth::ClientRegistry::Create(*storage, random);
  keys = jose::KeyStore::Create(storage->signing_keys(), clock).value();
  EXPECT_TRUE(keys->EnsureKeys().ok());

  oauth::Client spec;
  spec.name = "Test SPA";
  spec.app_type = "spa";
  spec.token_endpoint_auth_method = "none";
  spec.callbacks = {kCallback};
  spec.allowed_logout_urls = {kLogoutUrl};
  auto created = clients->Create(spec);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  if (created.ok()) client = created->client;

  accounts::SignUpInput ann;
  ann.email = "ann@example.com";
  ann.password = kPassword;
  auto signed_up = users->SignUp(ann);
  EXPECT_TRUE(signed_up.ok()) << signed_up.status().ToString();
  if (signed_up.ok()) user_id = signed_up->user_id();

  verifier = random.Token(32);

  oauth::LoginPipeline* grant_pipeline = &pipeline;
  if (options.rules) {
    rules::EngineOptions engine_options;
    engine_options.threads = 2;
    auto created_engine = rules::CreateSpiderMonkeyEngine(engine_options);
    EXPECT_TRUE(created_engine.ok()) << created_engine.status().ToString();
    if (created_engine.ok()) engine = std::move(created_engine).value();
    tenant_log = std::make_unique<TenantLog>([this](storage::LogEvent event) {
      std::lock_guard lock(mu_);
      events_.push_back(std::move(event));
      return Status::Ok();
    });
    rules_pipeline = std::make_unique<RulesPipeline>(
        *engine,
        [this]() -> Result<RulesSnapshot> {
          std::lock_guard lock(mu_);
          return RulesSnapshot{rules_, {{"SITE", "https://profile.example.org/update"}}};
        },
        *users, clock, *tenant_log,
        // Actions bound in storage run after the rules (none unless a test binds some).
        RulesPipelineOptions{.actions = StorageActionsSource(*storage, clock)});
    grant_pipeline = rules_pipeline.get();
  }
  RegisterFlowRoutes(router, FlowDeps{.storage = *storage,
                                      .users = *users,
                                      .clients = *clients,
                                      .pipeline = *grant_pipeline,
                                      .clock = clock,
                                      .random = random,
                                      .cookie_key = "cookie-key",
                                      .csrf_key = "csrf-key",
                                      .options = options.flow,
                                      .rules = rules_pipeline.get(),
                                      .tenant_log = tenant_log.get()});
  oauth::RegisterOAuthRoutes(router, oauth::OAuthDeps{.storage = *storage,
                                                      .keys = *keys,
                                                      .users = *users,
                                                      .clients = *clients,
                                                      .pipeline = *grant_pipeline,
                                                      .clock = clock,
                                                      .random = random,
                                                      .tokens = {}});
}

FlowHarness::~FlowHarness() = default;

void FlowHarness::SetRules(std::vector<std::string> scripts) {
  std::lock_guard lock(mu_);
  rules_.clear();
  for (size_t i = 0; i < scripts.size(); ++i) {
    rules_.push_back(rules::Rule{.id = "rul_" + std::to_string(i),
                                 .name = "rule " + std::to_string(i),
                                 .script = scripts[i],
                                 .order = static_cast<int>(i),
                                 .enabled = true});
  }
}

std::vector<storage::LogEvent> FlowHarness::Events() {
  std::lock_guard lock(mu_);
  return events_;
}

http::Response FlowHarness::GetWith(const std::string& target, Browser* browser,
                                    const std::string& header, const std::string& value) {
  http::Request request;
  request.method = "GET";
  request.target = target;
  request.headers.emplace(header, value);
  return Send(std::move(request), browser);
}

http::Response FlowHarness::Send(http::Request request, Browser* browser) {
  auto q = request.target.find('?');
  request.path = request.target.substr(0, q);
  request.raw_query = q == std::string::npos ? "" : request.target.substr(q + 1);
  auto query = http::ParseQuery(request.raw_query);
  EXPECT_TRUE(query.ok());
  if (query.ok()) request.query = *query;
  request.headers.emplace("Host", host);
  request.headers.emplace("User-Agent", "flow-test");
  if (browser && !browser->CookieHeader().empty()) {
    request.headers.emplace("Cookie", browser->CookieHeader());
  }
  request.remote_ip = "203.0.113.7";
  request.tls = tls;
  request.request_id = "req-test";

  auto match = router.Lookup(request.method, request.path);
  if (match.kind != http::Router::Match::Kind::kFound) {
    ADD_FAILURE() << "no route for " << request.method << " " << request.path;
    return http::Response::Text(404, "");
  }
  request.path_params = match.path_params;
  std::optional<http::Response> answer;
  if (match.route->handler) {
    answer = match.route->handler(request);
  } else {
    // Rules answer on a rules worker: wait for it (bounded, so a bug fails
    // the test instead of hanging it).
    auto promise = std::make_shared<std::promise<http::Response>>();
    auto future = promise->get_future();
    match.route->async_handler(request,
                               [promise](http::Response r) { promise->set_value(std::move(r)); });
    if (future.wait_for(std::chrono::seconds(60)) == std::future_status::ready) {
      answer = future.get();
    }
  }
  if (!answer) {
    ADD_FAILURE() << "handler did not answer: " << request.target;
    return http::Response::Text(500, "");
  }
  if (browser) browser->Absorb(*answer);
  return std::move(*answer);
}

http::Response FlowHarness::Get(const std::string& target, Browser* browser) {
  http::Request request;
  request.method = "GET";
  request.target = target;
  return Send(std::move(request), browser);
}

http::Response FlowHarness::PostForm(const std::string& target, const std::string& body,
                                     Browser* browser) {
  http::Request request;
  request.method = "POST";
  request.target = target;
  request.body = body;
  request.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  return Send(std::move(request), browser);
}

std::string FlowHarness::AuthorizeTarget(const std::string& extra) const {
  std::string challenge = Base64UrlEncode(crypto::Digest(crypto::Hash::kSha256, verifier));
  return "/authorize?response_type=code&client_id=" + http::UrlEncode(client.client_id) +
         "&redirect_uri=" + http::UrlEncode(kCallback) +
         "&scope=openid%20profile%20email&state=st-123&nonce=n-456&code_challenge=" + challenge +
         "&code_challenge_method=S256" + extra;
}

FlowHarness::LoginPage FlowHarness::OpenLoginPage(Browser& browser, const std::string& extra) {
  LoginPage page;
  http::Response authorize = Get(AuthorizeTarget(extra), &browser);
  EXPECT_EQ(authorize.status, 302);
  std::string location = authorize.GetHeader("Location");
  EXPECT_EQ(location.rfind("/u/login?tx=", 0), 0u) << location;
  page.response = Get(location, &browser);
  EXPECT_EQ(page.response.status, 200);
  page.tx = HiddenInput(page.response.body, "tx");
  page.csrf = HiddenInput(page.response.body, "csrf");
  return page;
}

http::Response FlowHarness::SubmitLogin(Browser& browser, const std::string& tx,
                                        const std::string& csrf, const std::string& username,
                                        const std::string& password) {
  return PostForm("/u/login",
                  "tx=" + http::UrlEncode(tx) + "&csrf=" + http::UrlEncode(csrf) + "&username=" +
                      http::UrlEncode(username) + "&password=" + http::UrlEncode(password),
                  &browser);
}

std::string HiddenInput(const std::string& html, const std::string& name) {
  std::string marker = "name=\"" + name + "\" value=\"";
  auto at = html.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return html.substr(at, html.find('"', at) - at);
}

std::string UrlParam(const std::string& url, const std::string& name) {
  auto start = url.find_first_of("?#");
  if (start == std::string::npos) return "";
  auto params = http::ParseQuery(url.substr(start + 1));
  if (!params.ok()) return "";
  return params->Get(name).value_or("");
}

}  // namespace gatehouse::flow::testing
