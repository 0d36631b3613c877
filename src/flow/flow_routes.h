#pragma once
// Registers the browser login flow: GET /authorize, GET/POST /u/login,
// GET/POST /u/signup, GET /v2/logout (and, in the rules issue, /continue).

#include <string>

#include "accounts/user_service.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/router.h"
#include "oauth/client_registry.h"
#include "oauth/login_pipeline.h"
#include "storage/storage.h"

namespace gatehouse::flow {

struct FlowOptions {
  int64_t transaction_seconds = 3600;   // an unfinished login expires after this
  int64_t session_seconds = 7 * 86400;  // SSO session absolute lifetime
  bool tls = false;                     // Secure cookies, HSTS
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
};

// `deps` must outlive the router.
void RegisterFlowRoutes(http::Router& router, FlowDeps deps);

}  // namespace gatehouse::flow
