#pragma once
// Per-IP and per-user request limits on the endpoints that check passwords or
// mint tokens: POST /u/login (per client IP and per login name) and POST
// /oauth/token (per client IP, and per username for the password grant). They
// sit in front of the accounts module's durable brute-force counters and keep a
// single address or a sprayed login name from costing the server an argon2
// verification per request. In memory, per node (see http/rate_limiter.h).

#include <memory>
#include <optional>

#include "core/clock.h"
#include "http/rate_limiter.h"
#include "http/request.h"
#include "http/response.h"

namespace gatehouse::server {

class AbuseLimits {
 public:
  struct Options {
    int login_per_ip_per_minute = 0;  // 0 = that limit is off
    int login_per_user_per_minute = 0;
    int token_per_ip_per_minute = 0;
    int token_per_user_per_minute = 0;
  };
  // `clock` must outlive the object.
  AbuseLimits(const Options& options, Clock& clock);

  // Takes one token from every bucket the request falls under (request.remote_ip
  // is already the forwarded-for client when the peer is a trusted proxy).
  // nullopt: go on. Otherwise a 429 with Retry-After (seconds) and
  // Cache-Control: no-store: an HTML error page for the login form (JSON
  // {"error":"too_many_requests"} when the request accepts application/json),
  // that JSON for the token endpoint. Requests to other routes are never
  // refused. Thread-safe.
  std::optional<http::Response> Check(const http::Request& request);

 private:
  std::unique_ptr<http::RateLimiter> login_ip_, login_user_, token_ip_, token_user_;
};

}  // namespace gatehouse::server
