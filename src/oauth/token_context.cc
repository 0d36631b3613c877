#include "oauth/token_context.h"

#include <nlohmann/json.hpp>

#include "core/logging.h"

namespace gatehouse::oauth {

OAuthContext::OAuthContext(OAuthDeps d)
    : deps(d),
      grants(d.storage.records(), d.clock, d.random,
             GrantLifetimes{d.tokens.access_token_seconds, d.tokens.refresh_idle_seconds,
                            d.tokens.refresh_absolute_seconds}),
      mint{d.tokens.access_token_seconds, d.tokens.id_token_seconds, d.tokens.id_token_alg,
           d.tokens.access_token_key} {}

http::Response TokenError(std::string code, std::string description, std::string debug,
                          int status) {
  if (!debug.empty()) {
    log::Info("token request refused", {{"error", code}, {"debug", debug}});
  }
  return TokenErrorResponse(OAuthError{std::move(code), std::move(description), "", status});
}

http::Response TokenSuccess(const nlohmann::json& body) {
  http::Response res = http::Response::Json(200, body);
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("Pragma", "no-cache");
  return res;
}

http::Response ServerError(const Status& status) {
  if (status.code() == ErrorCode::kUnavailable) {
    // Transient (database restarting, connection lost): the client may retry.
    log::Warn("token endpoint unavailable", {{"status", status.ToString()}});
    http::Response res = TokenErrorResponse(OAuthError{
        "temporarily_unavailable", "The service is temporarily unavailable", "", 503});
    res.SetHeader("Retry-After", "1");
    return res;
  }
  log::Error("token endpoint failure", {{"status", status.ToString()}});
  return TokenErrorResponse(
      OAuthError{"server_error", "The server could not complete the request", "", 500});
}

http::Response PipelineRefusal(const LoginOutcome& outcome) {
  using Kind = LoginOutcome::Kind;
  std::string description = outcome.error_description;
  switch (outcome.kind) {
    case Kind::kInteractionRequired:
      return TokenError("interaction_required",
                        description.empty() ? "Interaction required" : description);
    case Kind::kDeny:
      return TokenError("unauthorized", description.empty() ? "Unauthorized" : description, "",
                        403);
    case Kind::kError:
    default:
      if (outcome.error == "server_error" || outcome.error.empty()) {
        return TokenError("server_error", "The login could not be completed", description, 500);
      }
      if (outcome.error == "unauthorized") {
        return TokenError("unauthorized", description, "", 403);
      }
      return TokenError(outcome.error == "interaction_required" ? outcome.error : "access_denied",
                        description, "", outcome.error == "interaction_required" ? 400 : 403);
  }
}

}  // namespace gatehouse::oauth
