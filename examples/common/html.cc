#include "common/html.h"

#include "core/base64url.h"
#include "crypto/secure_random.h"

namespace gatehouse::examples {
namespace {

// One small stylesheet for every page of both example sites.
constexpr std::string_view kStyle = R"css(
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
  background:#eef1f5;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430}
main{background:#fff;width:100%;max-width:420px;margin:24px;padding:32px 36px;border-radius:12px;
  box-shadow:0 10px 30px rgba(20,30,60,.10)}
h1{font-size:1.4rem;margin:0 0 .4rem}
p{margin:.4rem 0 1rem;color:#4a5566}
label{display:block;font-weight:600;font-size:.9rem;margin:1rem 0 .3rem}
input[type=text],input[type=password],input[type=date]{width:100%;padding:.6rem .7rem;font-size:1rem;
  border:1px solid #c5ccd8;border-radius:8px}
input:focus{outline:2px solid #3867d6;border-color:#3867d6}
.error{color:#b3261e;font-size:.85rem;margin:.3rem 0 0}
.alert{background:#fdecea;color:#8c1d18;padding:.7rem .9rem;border-radius:8px;margin:0 0 1rem}
.hint{font-size:.85rem;color:#6b7585}
button,a.button{display:block;width:100%;margin-top:1.4rem;padding:.7rem;font-size:1rem;
  font-weight:600;color:#fff;background:#3867d6;border:0;border-radius:8px;cursor:pointer;
  text-align:center;text-decoration:none}
button.secondary{background:#fff;color:#3867d6;border:1px solid #3867d6;margin-top:.6rem}
pre{background:#f5f7fa;padding:.8rem;border-radius:8px;overflow:auto;font-size:.8rem}
a{color:#3867d6}
.nowrap{white-space:nowrap}
.brand{font-size:.8rem;letter-spacing:.08em;text-transform:uppercase;color:#8a94a6;margin-bottom:.8rem}
)css";

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
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

std::string Page(std::string_view title, std::string_view body_html, std::string_view nonce) {
  std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  html += "<title>" + Escape(title) + "</title>";
  html += "<style nonce=\"" + Escape(nonce) + "\">" + std::string(kStyle) + "</style>";
  html += "</head><body><main>\n";
  html += body_html;
  html += "\n</main></body></html>\n";
  return html;
}

http::Response PageResponse(int status, std::string html, std::string_view nonce,
                            std::string_view form_action) {
  auto res = http::Response::Html(status, std::move(html));
  res.SetHeader("Cache-Control", "no-store");
  std::string csp = "default-src 'none'; style-src 'nonce-" + std::string(nonce) +
                    "'; script-src 'nonce-" + std::string(nonce) + "'";
  if (!form_action.empty()) csp += "; form-action " + std::string(form_action);
  csp += "; frame-ancestors 'none'; base-uri 'none'";
  res.SetHeader("Content-Security-Policy", csp);
  res.SetHeader("Referrer-Policy", "no-referrer");  // tokens travel in query strings
  return res;
}

std::string NewNonce() { return Base64UrlEncode(crypto::SecureRandom::Instance().Bytes(16)); }

std::string OriginOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t path = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, path));
}

}  // namespace gatehouse::examples
