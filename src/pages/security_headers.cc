#include "pages/security_headers.h"

#include <string>

#include "pages/renderer.h"

namespace gatehouse::pages {
namespace {

bool SafeCspSource(std::string_view source) {
  if (source.empty()) return false;
  for (unsigned char c : source) {
    if (c <= 0x20 || c >= 0x7f || c == ';' || c == ',' || c == '\'' || c == '"') return false;
  }
  return true;
}

}  // namespace

std::string ContentSecurityPolicy(std::string_view extra_form_action) {
  std::string form_action = "'self'";
  if (SafeCspSource(extra_form_action)) {
    form_action += ' ';
    form_action += extra_form_action;
  }
  return "default-src 'none'; style-src " + Renderer::StyleSourceHash() + "; form-action " +
         form_action + "; frame-ancestors 'none'; base-uri 'none'";
}

void ApplySecurityHeaders(http::Response& response, bool tls, std::string_view extra_form_action) {
  response.SetHeader("Content-Security-Policy", ContentSecurityPolicy(extra_form_action));
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Pragma", "no-cache");
  if (tls) {
    response.SetHeader("Strict-Transport-Security", "max-age=31536000");
  } else {
    response.RemoveHeader("Strict-Transport-Security");
  }
}

}  // namespace gatehouse::pages
