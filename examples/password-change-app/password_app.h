#pragma once
// The password-change application of SPEC §3.6 (force password change), as
// routes on a gh_http Router:
//
//   GET  /?token=JWT&state=S  verify the rule's token (HS256, iss, aud, exp,
//                             sub), start a signed cookie session, 303 to
//                             /change-password
//   GET  /change-password     new password + confirmation, the tenant's
//                             password policy, CSRF token
//   POST /change-password     CSRF, confirmation and policy checks (422 + the
//                             form), then on a worker thread: PATCH the user's
//                             password through the Management API; on success
//                             clear the session and 303 to
//                             <gatehouse>/continue?state=S&token=<JWT {sub,
//                             passwordChanged: true}, iss = token_audience,
//                             aud = token_issuer, 5 minutes>
//
// The returned token is the incoming one's mirror: the app signs as the
// audience it was addressed as, for the rule that addressed it.

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "http/router.h"
#include "password-change-app/management_client.h"

namespace gatehouse::examples {

struct PasswordAppOptions {
  std::string token_issuer;    // the rule's TOKEN_ISSUER (incoming iss, outgoing aud)
  std::string token_audience;  // the rule's PASSWORD_CHANGE_URL (incoming aud, outgoing iss)
  std::string token_secret;    // the rule's PASSWORD_CHANGE_SECRET (HS256, >= 32 bytes)
  std::string gatehouse_url;   // "https://login.example.com" (no trailing '/')
  std::string session_key;     // "" = random per process
  bool secure_cookies = false;
  int min_password_length = 8;  // shown, and checked before calling the API
  std::chrono::seconds session_ttl{15 * 60};
  const Clock* clock = &Clock::System();  // must outlive the router
};

// Adds the routes above; the handlers own `management` and a worker thread.
// InvalidArgument when an option is missing or the secret is too short.
// Before the HTTP server is destroyed, shut it down (which waits for the
// in-flight password changes), as the server's contract asks.
Status RegisterPasswordApp(http::Router& router, PasswordAppOptions options,
                           std::shared_ptr<ManagementClient> management);

}  // namespace gatehouse::examples
