#include "oauth/authorize_request.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "oauth/admin_access.h"
#include "oauth/scope.h"

namespace gatehouse::oauth {
namespace {

OAuthError Err(std::string code, std::string description) {
  return OAuthError{std::move(code), std::move(description), "", 400};
}

bool ValidChallenge(std::string_view c) {
  if (c.size() < 43 || c.size() > 128) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_' || ch == '~';
  });
}

}  // namespace

std::string AuthorizeRequest::ScopeString() const { return JoinScope(scopes); }

bool AuthorizeRequest::HasScope(std::string_view s) const {
  return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
}

AuthorizeValidation ValidateAuthorizeRequest(const http::Params& params, ClientRegistry& clients) {
  auto single = [&](std::string_view name) { return params.GetAll(name).size() <= 1; };
  auto get = [&](std::string_view name) { return params.Get(name).value_or(""); };

  // Until the client and redirect_uri are known good, nothing may be sent to
  // the redirect_uri: every error is shown on our own page.
  if (!single("client_id")) {
    return FatalAuthorizeError{Err("invalid_request", "client_id must be sent once")};
  }
  std::string client_id = get("client_id");
  if (client_id.empty()) {
    return FatalAuthorizeError{Err("invalid_request", "Missing required parameter: client_id")};
  }
  auto client = clients.Get(client_id);
  if (!client.ok()) {
    OAuthError e = Err("invalid_request", "Unknown client: " + client_id);
    e.debug = client.status().ToString();
    if (client.status().code() != ErrorCode::kNotFound) {
      e = Err("server_error", "The client could not be loaded");
      e.debug = client.status().ToString();
      e.http_status = 500;
      if (client.status().code() == ErrorCode::kUnavailable) {
        e = Err("temporarily_unavailable", "The service is temporarily unavailable");
        e.debug = client.status().ToString();
        e.http_status = 503;
      }
    }
    return FatalAuthorizeError{e};
  }
  if (!single("redirect_uri")) {
    return FatalAuthorizeError{Err("invalid_request", "redirect_uri must be sent once")};
  }
  std::string redirect_uri;
  if (auto r = params.Get("redirect_uri")) {
    redirect_uri = *r;
    if (!RedirectUriAllowed(*client, redirect_uri)) {
      return FatalAuthorizeError{
          Err("invalid_request",
              "The redirect_uri is not registered for this client (Allowed Callback URLs)")};
    }
  } else if (client->callbacks.size() == 1) {
    redirect_uri = client->callbacks.front();
  } else {
    return FatalAuthorizeError{Err("invalid_request", "Missing required parameter: redirect_uri")};
  }

  const std::string state = get("state");
  auto redirect_error = [&](std::string code, std::string description,
                            std::string mode) -> AuthorizeValidation {
    return RedirectAuthorizeError{Err(std::move(code), std::move(description)), redirect_uri,
                                  std::move(mode), single("state") ? state : ""};
  };

  std::string mode = get("response_mode");
  if (!single("response_mode") ||
      !(mode.empty() || mode == "query" || mode == "fragment" || mode == "form_post")) {
    return redirect_error("invalid_request", "Unsupported response_mode", "query");
  }
  if (mode.empty()) mode = "query";

  for (const auto& [name, value] : params) {
    if (!single(name)) {
      return redirect_error("invalid_request", "Parameter sent more than once: " + name, mode);
    }
  }
  if (params.Has("request")) {
    return redirect_error("request_not_supported", "The request parameter is not supported", mode);
  }
  if (params.Has("request_uri")) {
    return redirect_error("request_uri_not_supported", "The request_uri parameter is not supported",
                          mode);
  }

  std::string response_type = get("response_type");
  if (response_type.empty()) {
    return redirect_error("invalid_request", "Missing required parameter: response_type", mode);
  }
  if (response_type != "code") {
    return redirect_error("unsupported_response_type",
                          "Unsupported response_type: " + response_type, mode);
  }
  if (!client->AllowsGrant("authorization_code")) {
    return redirect_error("unauthorized_client",
                          "The client is not allowed to use the authorization_code grant", mode);
  }

  std::string challenge = get("code_challenge");
  std::string method = get("code_challenge_method");
  if (challenge.empty()) {
    if (!method.empty()) {
      return redirect_error("invalid_request", "code_challenge_method without code_challenge",
                            mode);
    }
    if (client->IsPublic()) {
      return redirect_error("invalid_request", "code_challenge is required for public clients",
                            mode);
    }
  } else {
    // An absent method means "plain" (RFC 7636 §4.3), which we do not accept.
    if (method != "S256") {
      return redirect_error("invalid_request", "code_challenge_method must be S256", mode);
    }
    if (!ValidChallenge(challenge)) {
      return redirect_error("invalid_request", "code_challenge must be 43 to 128 characters", mode);
    }
  }

  std::string prompt;
  auto prompts = SplitScope(get("prompt"));
  static const std::set<std::string> kPrompts = {"none", "login", "consent", "select_account"};
  for (const auto& p : prompts) {
    if (!kPrompts.count(p)) return redirect_error("invalid_request", "Unknown prompt: " + p, mode);
  }
  bool has_none = std::find(prompts.begin(), prompts.end(), "none") != prompts.end();
  if (has_none && prompts.size() > 1) {
    return redirect_error("invalid_request", "prompt=none cannot be combined with other values",
                          mode);
  }
  if (has_none) {
    prompt = "none";
  } else if (std::find(prompts.begin(), prompts.end(), "login") != prompts.end()) {
    prompt = "login";
  }

  std::optional<int64_t> max_age;
  if (auto m = params.Get("max_age")) {
    int64_t v = -1;
    auto [ptr, ec] = std::from_chars(m->data(), m->data() + m->size(), v);
    if (m->empty() || ec != std::errc() || ptr != m->data() + m->size() || v < 0) {
      return redirect_error("invalid_request", "max_age must be a non-negative integer", mode);
    }
    max_age = v;
  }

  // The Management API audience is for machine-to-machine clients only: a user
  // login must never mint a token the Management API could accept. Other
  // audiences (the relying party's own APIs) are allowed, as in Auth0.
  // The one exception is the built-in admin dashboard (admin_access.h): the
  // login then only completes for an administrator (the flow checks it).
  const std::string audience = get("audience");
  if (IsManagementAudience(audience) && client_id != kAdminClientId) {
    return redirect_error("access_denied",
                          "Service not found: the Management API is not available to user logins",
                          mode);
  }

  AuthorizeRequest req;
  req.client = std::move(*client);
  req.redirect_uri = std::move(redirect_uri);
  req.response_type = std::move(response_type);
  req.response_mode = std::move(mode);
  req.scopes = SplitScope(get("scope"));
  req.state = state;
  req.nonce = get("nonce");
  req.prompt = std::move(prompt);
  req.max_age = max_age;
  req.audience = audience;
  req.code_challenge = std::move(challenge);
  req.code_challenge_method = req.code_challenge.empty() ? "" : method;
  req.connection = get("connection");
  req.login_hint = get("login_hint");
  req.ui_locales = get("ui_locales");
  return req;
}

}  // namespace gatehouse::oauth
