#pragma once
// The HTML the example sites render: escaping and one page layout. Plain
// string building, so a reader sees every byte that reaches the browser.

#include <string>
#include <string_view>

#include "http/response.h"

namespace gatehouse::examples {

// `text` with & < > " ' replaced by entities: safe in element content and in
// double- or single-quoted attribute values.
std::string Escape(std::string_view text);

// A complete page: doctype, the shared stylesheet, a card holding `body_html`
// (already escaped by the caller). `nonce` goes on the <style> tag and any
// <script> the body carries, matching PageResponse's CSP.
std::string Page(std::string_view title, std::string_view body_html, std::string_view nonce);

// An HTML response with the headers every example page sends: no caching
// (pages carry per-user forms), and a CSP that allows only the nonce'd inline
// style/script. `form_action` is the CSP form-action source list ("'self'"),
// or "" for no restriction: browsers check form-action against every redirect
// that follows a POST, and a form that resumes a Gatehouse login ends in a
// redirect to whichever application started it, which the site cannot know.
http::Response PageResponse(int status, std::string html, std::string_view nonce,
                            std::string_view form_action = "'self'");

// A fresh random nonce for one response (base64url of 16 CSPRNG bytes).
std::string NewNonce();

// The origin ("scheme://host[:port]") of an absolute URL; the URL unchanged
// when it has no path.
std::string OriginOf(std::string_view url);

}  // namespace gatehouse::examples
