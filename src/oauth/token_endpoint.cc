#include "oauth/token_endpoint.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "core/logging.h"
#include "oauth/issuer.h"
#include "oauth/request_body.h"

namespace gatehouse::oauth {
namespace {

// Auth0's tenant log codes for token exchanges: success and failure per grant.
std::pair<const char*, const char*> ExchangeLogTypes(const std::string& grant_type) {
  if (grant_type == "authorization_code") return {"seacft", "feacft"};
  if (grant_type == "refresh_token") return {"sertft", "fertft"};
  if (grant_type == "client_credentials") return {"seccft", "feccft"};
  if (grant_type == "password") return {"sepft", "fepft"};
  return {"", ""};
}

// Wraps `done` so the exchange's outcome is appended to the tenant log
// (SPEC §5.3). A failing log write never changes the answer.
// `client_id` may be filled in later (after client authentication).
http::Done LoggingDone(OAuthContext& ctx, const http::Request& request, std::string grant_type,
                       std::shared_ptr<std::string> client_id, http::Done done) {
  // Plain variables, not a structured binding: lambdas capture them portably.
  const auto types = ExchangeLogTypes(grant_type);
  const char* ok_type = types.first;
  const char* fail_type = types.second;
  if (*ok_type == '\0') return done;
  storage::LogEvent e;
  e.ip = request.remote_ip;
  e.user_agent = request.Header("User-Agent").value_or("");
  e.hostname = request.Host();
  storage::LogRepo* logs = &ctx.deps.storage.logs();
  return [logs, e = std::move(e), ok_type, fail_type, grant_type, client_id,
          done = std::move(done)](http::Response res) mutable {
    e.client_id = *client_id;
    const bool ok = res.status == 200;
    e.type = ok ? ok_type : fail_type;
    nlohmann::json details = {{"grant_type", grant_type}};
    if (!ok) {
      auto body = nlohmann::json::parse(res.body, nullptr, false);
      if (body.is_object()) {
        e.description = body.value("error_description", "");
        details["error"] = body.value("error", "");
      }
    } else {
      e.description = "Successful exchange (" + grant_type + ")";
    }
    e.details = details.dump();
    auto appended = logs->Append(std::move(e));
    if (!appended.ok()) log::Warn("tenant_log_failed", {{"error", appended.status().ToString()}});
    done(std::move(res));
  };
}

}  // namespace

void HandleToken(OAuthContext& ctx, http::Request& request, http::Done done) {
  auto form = ParseEndpointBody(request);
  if (!form.ok()) return done(TokenError("invalid_request", form.status().message()));
  auto grant_type = form->Get("grant_type");
  if (!grant_type || grant_type->empty()) {
    return done(TokenError("invalid_request", "Missing required parameter: grant_type"));
  }
  using Runner = void (*)(OAuthContext&, TokenRequest, TokenDone);
  Runner run = nullptr;
  if (*grant_type == "authorization_code") run = &RunAuthorizationCodeGrant;
  if (*grant_type == "refresh_token") run = &RunRefreshTokenGrant;
  if (*grant_type == "client_credentials") run = &RunClientCredentialsGrant;
  if (*grant_type == "password") run = &RunPasswordGrant;
  if (run == nullptr) {
    return done(TokenError("unsupported_grant_type", "Unsupported grant type: " + *grant_type));
  }

  auto log_client = std::make_shared<std::string>(form->Get("client_id").value_or(""));
  done = LoggingDone(ctx, request, *grant_type, log_client, std::move(done));
  auto client = ctx.deps.clients.Authenticate(request, *form);
  if (!client.ok()) {
    if (client.status().code() == ErrorCode::kUnauthenticated) {
      return done(TokenError("invalid_client", "Client authentication failed",
                             client.status().message(), 401));
    }
    return done(ServerError(client.status()));
  }
  *log_client = client->client_id;
  if (!client->AllowsGrant(*grant_type)) {
    return done(TokenError("unauthorized_client",
                           "The client is not allowed to use the " + *grant_type + " grant"));
  }
  TokenRequest req;
  req.http = &request;
  req.form = std::move(*form);
  req.client = std::move(*client);
  req.issuer = IssuerFor(request);
  run(ctx, std::move(req), std::move(done));
}

}  // namespace gatehouse::oauth
