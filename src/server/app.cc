#include "server/app.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "admin/admin_routes.h"
#include "connections/connection_repo.h"
#include "connections/federated_users.h"
#include "connections/upstream_client.h"
#include "connections/worker_pool.h"
#include "core/clock.h"
#include "core/logging.h"
#include "crypto/secure_random.h"
#include "flow/actions_source.h"
#include "flow/flow_routes.h"
#include "flow/rules_dir.h"
#include "flow/rules_pipeline.h"
#include "flow/storage_bindings.h"
#include "flow/tenant_log.h"
#include "http/outbound.h"
#include "http/router.h"
#include "http/server.h"
#include "mgmt/mgmt_routes.h"
#include "mgmt/scopes.h"
#include "oauth/admin_access.h"
#include "oauth/oauth_routes.h"
#include "server/abuse_limits.h"
#include "server/domain_guard.h"
#include "server/durability_gate.h"
#include "server/rules_engine_factory.h"
#include "server/services.h"

namespace gatehouse::server {
namespace {

// Expired records (transactions, codes, states) are purged in the background;
// correctness never depends on it, since expired records are invisible anyway.
constexpr auto kPurgeInterval = std::chrono::seconds(60);
constexpr int64_t kPurgeBatch = 1000;

class AppImpl final : public App {
 public:
  explicit AppImpl(config::Config config) : config_(std::move(config)) {}
  ~AppImpl() override { Shutdown(); }

  Status Init() {
    GH_ASSIGN_OR_RETURN(services_, OpenServices(config_, {.group_commit = true}));
    durability_gate_ = std::make_unique<DurabilityGate>(*services_->storage);
    GH_ASSIGN_OR_RETURN(rules_engine_, CreateRulesEngine({.threads = config_.rules_threads,
                                                          .timeout_ms = config_.rules_timeout_ms,
                                                          .heap_mb = config_.rules_heap_mb,
                                                          .node_modules_dir = RulesNodeModulesDir(
                                                              config_.rules_node_modules_dir)}));
    if (!config_.rules_dir.empty()) {
      GH_ASSIGN_OR_RETURN(
          int loaded, flow::LoadRulesDir(*services_->storage, *rules_engine_, config_.rules_dir));
      log::Info("rules_loaded", {{"dir", config_.rules_dir}, {"written", std::to_string(loaded)}});
    }
    // The login pipeline (SPEC §2.3) for the browser flow and the token grants.
    tenant_log_ = std::make_unique<flow::TenantLog>(flow::StorageLogSink(*services_->storage));
    // Password hashes are verified off the I/O threads, one worker per core.
    password_pool_ = flow::WorkerPool::Create(
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    // Rules' fetch / request / axios (docs/outbound.md): their own client, so
    // the operator's host lists for rules bind nothing else.
    rules_outbound_ = http::OutboundClient::Create(
        {.allow_hosts = config_.rules_outbound_allow_hosts,
         .deny_hosts = config_.rules_outbound_deny_hosts,
         .allow_loopback = config_.rules_outbound_allow_loopback,
         .allow_private = config_.rules_outbound_allow_private,
         .max_response_bytes = config_.rules_outbound_max_response_bytes});
    rules_pipeline_ = std::make_unique<flow::RulesPipeline>(
        *rules_engine_, flow::StorageRulesSource(*services_->storage), *services_->users,
        Clock::System(), *tenant_log_,
        flow::RulesPipelineOptions{
            .outbound = rules_outbound_.get(),
            // Post-login actions bound through the Management API (issue 11).
            .actions = flow::StorageActionsSource(*services_->storage, Clock::System())});
    // Upstream OIDC connections: their HTTP calls block, so they run on a small
    // pool of their own (docs/connections.md).
    outbound_ = http::OutboundClient::Create(http::OutboundPolicy{});
    upstream_client_ = connections::UpstreamClient::Create(*outbound_, Clock::System());
    upstream_pool_ = std::make_unique<connections::WorkerPool>(2);
    connection_repo_ = std::make_unique<connections::ConnectionRepo>(
        services_->storage->records(), crypto::SecureRandom::Instance());
    federated_users_ = std::make_unique<connections::FederatedUsers>(*services_->storage);
    upstream_deps_ = std::make_unique<flow::UpstreamDeps>(flow::UpstreamDeps{
        .connections = *connection_repo_,
        .client = *upstream_client_,
        .pool = *upstream_pool_,
        .users = *federated_users_,
    });
    std::vector<std::string> domains = config_.custom_domains;
    domains.insert(domains.begin(), config_.domain);
    // The admin dashboard's client follows the configured domains (docs/admin.md).
    GH_RETURN_IF_ERROR(oauth::EnsureAdminClient(
        *services_->storage, *services_->clients,
        oauth::AdminClientSpec(domains, config_.Tls(), mgmt::AllScopes())));
    guard_ = std::make_unique<DomainGuard>(domains);
    GH_ASSIGN_OR_RETURN(trusted_proxies_, http::TrustedProxies::Parse(config_.trusted_proxies));
    abuse_limits_ = std::make_unique<AbuseLimits>(
        AbuseLimits::Options{.login_per_ip_per_minute = config_.login_per_ip_per_minute,
                             .login_per_user_per_minute = config_.login_per_user_per_minute,
                             .token_per_ip_per_minute = config_.token_per_ip_per_minute,
                             .token_per_user_per_minute = config_.token_per_user_per_minute},
        Clock::System());
    router_ = std::make_shared<http::Router>();
    AddRoutes(*router_);
    return Status::Ok();
  }

  Status Start() override {
    http::ServerOptions options;
    options.listen_address = config_.ListenHost();
    options.port = config_.ListenPort();
    options.io_threads = config_.io_threads > 0
                             ? config_.io_threads
                             : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.tls_cert_file = config_.tls_cert_file;
    options.tls_key_file = config_.tls_key_file;
    options.max_header_bytes = static_cast<size_t>(config_.max_header_bytes);
    options.max_body_bytes = static_cast<size_t>(config_.max_body_bytes);
    options.header_timeout = std::chrono::milliseconds(config_.header_timeout_ms);
    options.body_timeout = std::chrono::milliseconds(config_.body_timeout_ms);
    options.idle_timeout = std::chrono::milliseconds(config_.idle_timeout_ms);
    options.max_connections = static_cast<size_t>(config_.max_connections);
    options.access_log = config_.access_log;
    options.trusted_proxies = trusted_proxies_;
    options.response_gate = durability_gate_->ForServer();
    GH_ASSIGN_OR_RETURN(server_, http::Server::Create(options, router_));
    GH_RETURN_IF_ERROR(server_->Start());
    purger_ = std::thread([this] { PurgeLoop(); });
    log::Info("listening", {{"addr", config_.listen},
                            {"port", std::to_string(server_->port())},
                            {"domain", config_.domain},
                            {"tls", config_.Tls() ? "true" : "false"},
                            {"storage", services_->storage->Describe()}});
    return Status::Ok();
  }

  uint16_t port() const override { return server_ ? server_->port() : 0; }

  void Shutdown() override {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    if (server_) server_->Shutdown(std::chrono::milliseconds(config_.drain_timeout_ms));
    // Responses still waiting for a disk sync are released (into the stopped
    // server, which drops them) before anything they refer to goes away.
    if (durability_gate_) durability_gate_->WaitReleased();
    // Logins still verifying a password finish before the rules they continue into stop.
    if (password_pool_) password_pool_->Shutdown();
    // Upstream round trips still queued finish (answers go nowhere) while the
    // rules they continue into are alive.
    upstream_pool_.reset();
    // Rules still running finish (their answers go nowhere) while the
    // pipeline they call back into is alive.
    rules_engine_.reset();
    if (purger_.joinable()) purger_.join();
  }

  std::vector<KeySummary> ActiveKeys() override {
    std::vector<KeySummary> out;
    for (const char* alg : {"RS256", "ES256"}) {
      auto key = services_->keys->ActiveKey(alg);
      if (key.ok()) out.push_back({alg, key->kid()});
    }
    return out;
  }

 private:
  void AddRoutes(http::Router& router) {
    // SPEC §1: a Host that is not configured gets 421, on every route but the
    // health check (load balancers probe by IP address).
    router.SetGuard([this](const http::Request& req) -> std::optional<http::Response> {
      if (req.path == "/healthz") return std::nullopt;
      if (!guard_->Allows(req.Host())) {
        return http::Response::Error(421, "misdirected_request",
                                     "this server is not configured for that host name");
      }
      return abuse_limits_->Check(req);
    });
    router.Add("GET", "/healthz", [this](http::Request&) {
      storage::Storage& storage = *services_->storage;
      int version = storage.SchemaVersion();
      bool ok = version == storage.LatestSchemaVersion();
      auto res = http::Response::Json(
          ok ? 200 : 503, {{"status", ok ? "ok" : "unavailable"}, {"schema_version", version}});
      res.SetHeader("Cache-Control", "no-store");
      return res;
    });
    Services& s = *services_;
    Random& random = crypto::SecureRandom::Instance();
    oauth::RegisterOAuthRoutes(
        router, oauth::OAuthDeps{.storage = *s.storage,
                                 .keys = *s.keys,
                                 .users = *s.users,
                                 .clients = *s.clients,
                                 .pipeline = *rules_pipeline_,
                                 .clock = Clock::System(),
                                 .random = random,
                                 .tokens = {.access_token_key = s.secrets["access_token_key"]}});
    flow::FlowOptions flow_options;
    flow_options.tls = config_.Tls();
    flow_options.continue_state_seconds = config_.continue_state_seconds;
    flow_options.allow_http_redirects = config_.allow_http_redirects;
    flow_options.reload_user_on_resume = config_.reload_user_on_resume;
    flow::RegisterFlowRoutes(router, flow::FlowDeps{.storage = *s.storage,
                                                    .users = *s.users,
                                                    .clients = *s.clients,
                                                    .pipeline = *rules_pipeline_,
                                                    .clock = Clock::System(),
                                                    .random = random,
                                                    .cookie_key = s.secrets["cookie_key"],
                                                    .csrf_key = s.secrets["csrf_key"],
                                                    .options = flow_options,
                                                    .rules = rules_pipeline_.get(),
                                                    .tenant_log = tenant_log_.get(),
                                                    .upstream = upstream_deps_.get(),
                                                    .password_pool = password_pool_.get()});
    mgmt::RegisterMgmtRoutes(router, mgmt::MgmtDeps{.storage = *s.storage,
                                                    .keys = *s.keys,
                                                    .users = *s.users,
                                                    .clients = *s.clients,
                                                    .engine = *rules_engine_,
                                                    .clock = Clock::System(),
                                                    .random = random});
    admin::RegisterAdminRoutes(router);
  }

  void PurgeLoop() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, kPurgeInterval, [this] { return stopping_; })) {
      lock.unlock();
      auto purged = services_->storage->records().PurgeExpired(kPurgeBatch);
      if (!purged.ok()) {
        log::Warn("purge_failed", {{"error", purged.status().ToString()}});
      } else if (*purged > 0) {
        log::EventRaw(log::Level::kDebug, "purged", "\"records\":" + std::to_string(*purged));
      }
      auto logs = mgmt::PurgeOldLogs(services_->storage->logs(), Clock::System(),
                                     config_.log_retention_days, kPurgeBatch);
      if (!logs.ok()) log::Warn("log_purge_failed", {{"error", logs.status().ToString()}});
      lock.lock();
    }
  }

  config::Config config_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<DurabilityGate> durability_gate_;  // outlives server_
  // Outlives the rules engine, whose workers may be inside a call at shutdown.
  std::unique_ptr<http::OutboundClient> rules_outbound_;
  // One rules engine for the process; declared before server_ so it is
  // destroyed after the HTTP server (whose handlers use it) is gone.
  std::unique_ptr<rules::Engine> rules_engine_;
  std::unique_ptr<flow::TenantLog> tenant_log_;
  std::unique_ptr<flow::RulesPipeline> rules_pipeline_;
  std::unique_ptr<http::OutboundClient> outbound_;
  std::unique_ptr<connections::UpstreamClient> upstream_client_;
  std::unique_ptr<connections::WorkerPool> upstream_pool_;
  std::unique_ptr<connections::ConnectionRepo> connection_repo_;
  std::unique_ptr<connections::FederatedUsers> federated_users_;
  std::unique_ptr<flow::UpstreamDeps> upstream_deps_;
  std::unique_ptr<flow::WorkerPool> password_pool_;
  std::unique_ptr<DomainGuard> guard_;
  http::TrustedProxies trusted_proxies_;
  std::unique_ptr<AbuseLimits> abuse_limits_;
  std::shared_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
  std::thread purger_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace

Result<std::unique_ptr<App>> App::Create(const config::Config& config) {
  auto app = std::make_unique<AppImpl>(config);
  GH_RETURN_IF_ERROR(app->Init());
  return std::unique_ptr<App>(std::move(app));
}

}  // namespace gatehouse::server
