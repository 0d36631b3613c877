#pragma once
// Registers the browser login flow: GET /authorize, GET/POST /u/login,
// GET/POST /u/signup, GET /v2/logout, GET/POST /continue (SPEC §3), and with
// FlowDeps::upstream GET /login/connection and GET /login/callback.

#include <string>

#include "accounts/user_service.h"
#include "core/clock.h"
#include "core/random.h"
#include "flow/rules_pipeline.h"
#include "flow/tenant_log.h"
#include "flow/upstream_deps.h"
#include "flow/worker_pool.h"
#include "http/router.h"
#include "oauth/client_registry.h"
#include "oauth/login_pipeline.h"
#include "storage/storage.h"

namespace gatehouse::flow {

struct FlowOptions {
  int64_t transaction_seconds = 3600;     // an unfinished login expires after this
  int64_t session_seconds = 7 * 86400;    // SSO session absolute lifetime
  bool tls = false;                       // Secure cookies, HSTS
  int64_t continue_state_seconds = 3600;  // lifetime of a /continue state (SPEC §3.3)
  bool allow_http_redirects = false;      // rules may redirect to non-loopback http:// URLs
  bool reload_user_on_resume = false;     // SPEC §3.2: false = second pass sees the snapshot
};

struct FlowDeps {
  storage::Storage& storage;
  accounts::UserService& users;
  oauth::ClientRegistry& clients;
  oauth::LoginPipeline& pipeline;
  Clock& clock;
  Random& random;
  std::string cookie_key;  // server secret (HMAC key for cookies)
  std::string csrf_key;    // server secret (HMAC key for CSRF tokens)
  FlowOptions options;
  // Set: the browser flow runs these rules, with redirects and /continue
  // (SPEC §3); null: `pipeline` only (no redirects). Must outlive the router.
  RulesPipeline* rules = nullptr;
  // Tenant log events (null: none). Must outlive the router.
  const TenantLog* tenant_log = nullptr;
  // Set: sign-in through upstream OIDC connections (/authorize?connection=,
  // the login page's "Continue with" links, /login/callback). Must outlive
  // the router.
  const UpstreamDeps* upstream = nullptr;
  // Set: POST /u/login verifies the password (and finishes the login) on this
  // pool instead of the I/O thread; null: inline. Must outlive the router and
  // be shut down after the HTTP server has drained.
  WorkerPool* password_pool = nullptr;
};

// `deps` must outlive the router.
void RegisterFlowRoutes(http::Router& router, FlowDeps deps);

}  // namespace gatehouse::flow
