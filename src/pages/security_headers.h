#pragma once
// Security headers for every hosted page and flow response.

#include <string_view>

#include "http/response.h"

namespace gatehouse::pages {

// Sets (replacing any earlier value): a strict Content-Security-Policy
// (default-src 'none'; the pages' inline stylesheet by hash; no scripts;
// form-action 'self'; frame-ancestors 'none'; base-uri 'none'),
// X-Frame-Options: DENY, Referrer-Policy: no-referrer,
// X-Content-Type-Options: nosniff, Cache-Control: no-store, Pragma: no-cache,
// and Strict-Transport-Security when `tls`.
//
// `extra_form_action` is one more CSP source for form-action (e.g. the origin
// of the client's redirect_uri): browsers check form-action against the
// redirect that follows a form POST, so the login page must allow the
// client's origin. Values with characters that could end or extend the
// directive (';', ',', quotes, whitespace, control bytes) are ignored.
void ApplySecurityHeaders(http::Response& response, bool tls,
                          std::string_view extra_form_action = {});

// The Content-Security-Policy value ApplySecurityHeaders sets.
std::string ContentSecurityPolicy(std::string_view extra_form_action = {});

}  // namespace gatehouse::pages
