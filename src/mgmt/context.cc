#include "mgmt/context.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/logging.h"
#include "mgmt/api_error.h"

namespace gatehouse::mgmt {
namespace {

// Auth0 records mutations ("sapi") and failed calls ("fapi"); plain reads are
// not logged, so polling the logs does not flood them.
// `user_id` is the administrator behind an admin dashboard call ("" for
// machine-to-machine tokens), so the log says who did it.
void LogApiCall(MgmtContext& ctx, const http::Request& req, const std::string& client_id,
                const std::string& user_id, const std::string& description, int status) {
  const bool failed = status >= 400;
  if (!failed && req.method == "GET") return;
  storage::LogEvent e;
  e.type = failed ? "fapi" : "sapi";
  e.description = description;
  e.client_id = client_id;
  e.user_id = user_id;
  e.ip = req.remote_ip;
  e.user_agent = req.Header("User-Agent").value_or("");
  e.hostname = req.Host();
  nlohmann::json details = {{"request", {{"method", req.method}, {"path", req.path}}},
                            {"response", {{"statusCode", status}}}};
  e.details = details.dump();
  auto r = ctx.deps.storage.logs().Append(std::move(e));
  if (!r.ok()) log::Warn("tenant_log_failed", {{"error", r.status().ToString()}});
}

}  // namespace

void AddApiRoute(http::Router& router, const std::shared_ptr<MgmtContext>& ctx,
                 const std::string& method, const std::string& pattern, const std::string& scope,
                 const std::string& description, ApiHandler handler) {
  http::RouteOptions options;
  // Read bodies a bit past our own limit so the 413 is ours (Auth0's shape).
  options.max_body_bytes =
      std::max<size_t>(ctx->deps.options.max_body_bytes * 4, size_t{1024} * 1024);
  router.Add(
      method, pattern,
      [ctx, scope, description, handler = std::move(handler)](http::Request& req) {
        auto auth = Authenticate(req, ctx->deps);
        if (auto* refused = std::get_if<http::Response>(&auth)) {
          LogApiCall(*ctx, req, "", "", description, refused->status);
          return std::move(*refused);
        }
        const Principal& who = std::get<Principal>(auth);
        if (!who.Has(scope)) {
          http::Response res =
              ApiError(403, "Insufficient scope, expected any of: " + scope, "insufficient_scope");
          LogApiCall(*ctx, req, who.client_id, who.user_id, description, res.status);
          return res;
        }
        http::Response res = handler(req, who);
        res.SetHeader("Cache-Control", "no-store");
        LogApiCall(*ctx, req, who.client_id, who.user_id, description, res.status);
        return res;
      },
      options);
}

JsonBody ParseJsonBody(const http::Request& request, const MgmtOptions& options) {
  JsonBody out;
  if (request.body.size() > options.max_body_bytes) {
    out.error = ApiError(413,
                         "Payload content length greater than maximum allowed: " +
                             std::to_string(options.max_body_bytes),
                         "payload_too_large");
    return out;
  }
  out.json = nlohmann::json::parse(request.body, nullptr, false);
  if (out.json.is_discarded()) {
    out.error = ApiError(400, "Invalid request payload JSON format", "invalid_body");
  } else if (!out.json.is_object()) {
    out.error = ApiError(400, "Payload validation error: 'Expected type object'", "invalid_body");
  }
  return out;
}

std::optional<int> IntParam(const http::Request& request, const std::string& name, int fallback,
                            int min, int max) {
  const std::optional<std::string> v = request.query.Get(name);
  if (!v || v->empty()) return fallback;
  const std::string_view text = *v;
  int out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size() || out < min || out > max) {
    return std::nullopt;
  }
  return out;
}

bool BoolParam(const http::Request& request, const std::string& name) {
  return request.query.Get(name).value_or("") == "true";
}

}  // namespace gatehouse::mgmt
