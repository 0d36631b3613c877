#include "oauth/authorization_response.h"

#include "core/base64url.h"
#include "crypto/digest.h"
#include "http/params.h"

namespace gatehouse::oauth {
namespace {

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr std::string_view kSubmitScript = "document.forms[0].submit();";

// The CSP allows exactly the one inline script, by hash, so nothing injected
// into the page could run even if escaping failed.
const std::string& ScriptHash() {
  static const std::string h =
      "'sha256-" + Base64Encode(crypto::Digest(crypto::Hash::kSha256, kSubmitScript)) + "'";
  return h;
}

}  // namespace

http::Response RespondToClient(const std::string& redirect_uri, const std::string& response_mode,
                               const std::vector<std::pair<std::string, std::string>>& params) {
  if (response_mode == "form_post") {
    std::string body =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Submit this form</title></head>"
        "<body><form method=\"post\" action=\"" +
        HtmlEscape(redirect_uri) + "\">";
    for (const auto& [name, value] : params) {
      if (value.empty()) continue;
      body += "<input type=\"hidden\" name=\"" + HtmlEscape(name) + "\" value=\"" +
              HtmlEscape(value) + "\">";
    }
    body +=
        "<noscript><p>JavaScript is off. Press the button to continue.</p>"
        "<button type=\"submit\">Continue</button></noscript></form><script>";
    body += kSubmitScript;
    body += "</script></body></html>\n";
    http::Response res = http::Response::Html(200, std::move(body));
    res.SetHeader("Cache-Control", "no-store");
    res.SetHeader("Pragma", "no-cache");
    res.SetHeader("Content-Security-Policy",
                  "default-src 'none'; script-src " + ScriptHash() + "; frame-ancestors 'none'");
    return res;
  }

  std::string encoded;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    if (!encoded.empty()) encoded += '&';
    encoded += http::UrlEncode(name) + "=" + http::UrlEncode(value);
  }
  std::string location = redirect_uri;
  if (!encoded.empty()) {
    if (response_mode == "fragment") {
      location += '#';
    } else if (location.find('?') == std::string::npos) {
      location += '?';
    } else if (location.back() != '?' && location.back() != '&') {
      location += '&';
    }
    location += encoded;
  }
  http::Response res = http::Response::Redirect(std::move(location), 302);
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

}  // namespace gatehouse::oauth
