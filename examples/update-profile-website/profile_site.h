#pragma once
// The update-profile website of SPEC §3.6 (progressive profiling), as routes
// on a gh_http Router:
//
//   GET  /?token=JWT&state=S  verify the rule's token (HS256, iss, aud, exp),
//                             start a signed cookie session {sub, fields,
//                             state, csrf}, 303 to /profile (the token leaves
//                             the address bar and the history)
//   GET  /profile             the form: the required fields only, CSRF token
//   POST /profile             CSRF check, validation (422 + the form with
//                             messages), or: clear the session and answer a
//                             self-submitting form POSTing the fields to
//                             <gatehouse>/continue?state=S
//   GET  /terms?state=S&version=V
//                             the terms-of-service consent page of the terms
//                             rule: Accept / Decline POST terms_decision to
//                             <gatehouse>/continue?state=S
//
// Errors are pages a person can act on, never stack traces: 400 for a missing,
// tampered or expired token or session, 403 for a CSRF failure.

#include <chrono>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "http/router.h"

namespace gatehouse::examples {

struct ProfileSiteOptions {
  std::string token_issuer;     // expected "iss" (the rule's TOKEN_ISSUER)
  std::string token_audience;   // expected "aud" (the rule's TOKEN_AUDIENCE)
  std::string token_secret;     // the rule's TOKEN_SECRET (HS256, >= 32 bytes)
  std::string gatehouse_url;    // e.g. "https://login.example.com" (no trailing '/')
  std::string session_key;      // HMAC key of the session cookie; "" = random per process
  bool secure_cookies = false;  // true when the site is served over https
  std::chrono::seconds session_ttl{15 * 60};
  const Clock* clock = &Clock::System();  // must outlive the router
};

// Adds the routes above to `router`; the handlers own everything they need.
// InvalidArgument when an option is missing or the secret is shorter than 32
// bytes. Handlers are quick and thread-safe (they run on the I/O threads).
Status RegisterProfileSite(http::Router& router, ProfileSiteOptions options);

}  // namespace gatehouse::examples
