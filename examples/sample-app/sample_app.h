#pragma once
// The smallest relying party that shows a newcomer the whole journey: a page
// with a "Log in" button that starts the authorization code flow with PKCE,
// and after the login the ID token's claims (or the error a rule returned).
//
//   GET /          the start page, or the signed-in user's ID token claims
//   GET /login     new state, nonce and PKCE verifier (in a signed cookie),
//                  302 to <gatehouse>/authorize
//   GET /callback  checks state, exchanges the code at <gatehouse>/oauth/token
//                  (client_secret_post + code_verifier) on a worker thread,
//                  checks the ID token's iss, aud and nonce, 303 to /
//   GET /logout    forgets the user, then Gatehouse's /v2/logout
//
// The ID token comes straight from the token endpoint over the connection
// this app opened, which OIDC Core §3.1.3.7 accepts in place of checking its
// signature; an app that receives ID tokens any other way must verify them
// against the issuer's JWKS.

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "http/outbound.h"
#include "http/router.h"

namespace gatehouse::examples {

struct SampleAppOptions {
  std::string gatehouse_url;  // "http://127.0.0.1:8080" (no trailing '/'); issuer = this + "/"
  std::string app_url;        // this app's own base URL, e.g. "http://127.0.0.1:3000"
  std::string client_id, client_secret;  // a regular_web client with <app_url>/callback
  std::string session_key;               // "" = random per process
  const Clock* clock = &Clock::System();
};

// Adds the routes above. InvalidArgument when an option is missing. The
// handlers own a worker thread; shut the HTTP server down before destroying it.
Status RegisterSampleApp(http::Router& router, SampleAppOptions options,
                         std::shared_ptr<http::OutboundClient> http);

}  // namespace gatehouse::examples
