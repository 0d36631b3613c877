#pragma once
// Validation of an /authorize request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1,
// RFC 7636). The result says whether an error may be sent to the client's
// redirect_uri or must be shown on our own error page (unknown client,
// unregistered redirect_uri: SPEC §1 "never redirected to").

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http/params.h"
#include "oauth/client.h"
#include "oauth/client_registry.h"
#include "oauth/errors.h"

namespace gatehouse::oauth {

struct AuthorizeRequest {
  Client client;
  std::string redirect_uri;         // exactly as registered (byte-exact match, loopback port rule)
  std::string response_type;        // "code"
  std::string response_mode;        // "query" (default) | "fragment" | "form_post"
  std::vector<std::string> scopes;  // requested, de-duplicated, order kept
  std::string state;                // the client's, echoed back; may be empty
  std::string nonce;
  std::string prompt;  // "" | "none" | "login" (| "consent", accepted and ignored)
  std::optional<int64_t> max_age;
  std::string audience;               // "" = default (userinfo only)
  std::string code_challenge;         // "" when absent (only allowed for confidential clients)
  std::string code_challenge_method;  // "S256" when present
  std::string connection;
  std::string login_hint;
  std::string ui_locales;

  std::string ScopeString() const;  // space-joined
  bool HasScope(std::string_view s) const;
};

// Shown on our error page; the client is not redirected to.
struct FatalAuthorizeError {
  OAuthError error;
};

// Sent to the validated redirect_uri in the validated response_mode, with the state.
struct RedirectAuthorizeError {
  OAuthError error;
  std::string redirect_uri;
  std::string response_mode;
  std::string state;
};

using AuthorizeValidation =
    std::variant<AuthorizeRequest, FatalAuthorizeError, RedirectAuthorizeError>;

// Checks, in this order: client_id known (else fatal invalid_request);
// redirect_uri registered for it (else fatal; when the client registered
// exactly one and none is sent, that one is used); response_mode valid (else
// fatal-free redirect with query); response_type == "code" (else
// unsupported_response_type); client allows authorization_code
// (unauthorized_client); PKCE: public clients must send code_challenge; only
// S256 accepted ("plain" and others => invalid_request); challenge is 43..128
// chars of [A-Za-z0-9-._~]; prompt values known, "none" not combined with
// others; max_age a non-negative integer; scope contains "openid" is not
// required (OAuth-only requests get no ID token). Repeated parameters =>
// invalid_request (RFC 6749 §3.1).
AuthorizeValidation ValidateAuthorizeRequest(const http::Params& params, ClientRegistry& clients);

// True when `uri` is one of the client's callbacks, byte for byte; for native
// clients a loopback redirect (http://127.0.0.1 / [::1] / localhost) also
// matches a registered one that differs only in the port (RFC 8252 §7.3).
bool RedirectUriAllowed(const Client& client, std::string_view uri);

}  // namespace gatehouse::oauth
