#include "server/abuse_limits.h"

#include <string>

#include "http/headers.h"
#include "pages/renderer.h"
#include "pages/security_headers.h"

namespace gatehouse::server {
namespace {

std::unique_ptr<http::RateLimiter> Limiter(int per_minute, Clock& clock) {
  // The bucket holds one minute's allowance, so "N per minute" is literal: N
  // back-to-back requests pass, the next waits for a token.
  return http::RateLimiter::Create(
      {.per_minute = static_cast<double>(per_minute), .burst = per_minute > 0 ? per_minute : 1},
      clock);
}

constexpr const char* kTooMany = "too many requests; try again after the Retry-After delay";

// The hosted login form is posted by a browser, which should see a page, not
// JSON; the token endpoint's clients get the JSON error. As for /continue,
// Accept: application/json asks for JSON on the form too.
http::Response TooMany(const http::Request& request, bool login, int retry_after) {
  const bool json =
      !login || request.Header("Accept").value_or("").find("application/json") != std::string::npos;
  http::Response res;
  if (json) {
    res = http::Response::Error(429, "too_many_requests", kTooMany);
  } else {
    res = http::Response::Html(
        429, pages::Renderer().RenderError({.title = "Too many attempts",
                                            .error_code = "too_many_requests",
                                            .description = std::string("Too many login attempts "
                                                                       "from here. Wait a moment, "
                                                                       "then try again."),
                                            .request_id = request.request_id}));
    pages::ApplySecurityHeaders(res, request.tls);
  }
  res.SetHeader("Retry-After", std::to_string(retry_after));
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

}  // namespace

AbuseLimits::AbuseLimits(const Options& o, Clock& clock)
    : login_ip_(Limiter(o.login_per_ip_per_minute, clock)),
      login_user_(Limiter(o.login_per_user_per_minute, clock)),
      token_ip_(Limiter(o.token_per_ip_per_minute, clock)),
      token_user_(Limiter(o.token_per_user_per_minute, clock)) {}

std::optional<http::Response> AbuseLimits::Check(const http::Request& request) {
  if (request.method != "POST") return std::nullopt;
  const bool login = request.path == "/u/login";
  const bool token = request.path == "/oauth/token";
  if (!login && !token) return std::nullopt;

  auto& by_ip = login ? *login_ip_ : *token_ip_;
  if (auto d = by_ip.Take(request.remote_ip); !d.allowed) {
    return TooMany(request, login, d.retry_after_seconds);
  }

  // A malformed form is left to the handler to refuse; only its login name
  // matters here, compared case-insensitively as the accounts module does.
  auto form = request.Form();
  if (!form.ok()) return std::nullopt;
  if (token && form->Get("grant_type").value_or("") != "password") return std::nullopt;
  std::string name = http::ToLower(form->Get("username").value_or(""));
  if (name.empty()) return std::nullopt;
  auto& by_user = login ? *login_user_ : *token_user_;
  if (auto d = by_user.Take(name); !d.allowed)
    return TooMany(request, login, d.retry_after_seconds);
  return std::nullopt;
}

}  // namespace gatehouse::server
