#include "oauth/redirect_uri.h"

#include <algorithm>
#include <optional>

#include "oauth/authorize_request.h"

namespace gatehouse::oauth {
namespace {

struct HttpUri {
  std::string scheme;  // lowercase as written ("http" only accepted exactly)
  std::string host;    // as written
  std::string port;    // digits, or "" when absent
  std::string rest;    // path, query (everything after the authority)
  bool has_userinfo = false;
};

// Splits "scheme://authority/rest" without normalising anything: matching is
// byte-exact, so this only locates the port for the loopback rule.
std::optional<HttpUri> SplitHttp(std::string_view uri) {
  auto colon = uri.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  HttpUri out;
  out.scheme = std::string(uri.substr(0, colon));
  std::string_view after = uri.substr(colon + 3);
  size_t end = after.find_first_of("/?#");
  std::string_view authority = after.substr(0, end);
  out.rest = end == std::string_view::npos ? "" : std::string(after.substr(end));
  out.has_userinfo = authority.find('@') != std::string_view::npos;
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view tail = host.substr(close + 1);
    host = host.substr(0, close + 1);
    if (!tail.empty()) {
      if (tail.front() != ':') return std::nullopt;
      out.port = std::string(tail.substr(1));
    }
  } else if (auto c = host.rfind(':'); c != std::string_view::npos) {
    out.port = std::string(host.substr(c + 1));
    host = host.substr(0, c);
  }
  if (!std::all_of(out.port.begin(), out.port.end(),
                   [](char ch) { return ch >= '0' && ch <= '9'; }))
    return std::nullopt;
  out.host = std::string(host);
  return out;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost";
}

}  // namespace

bool IsValidCallbackUrl(std::string_view uri, std::string* why) {
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (uri.empty()) return fail("callback URL is empty");
  if (uri.size() > 2048) return fail("callback URL is too long");
  for (unsigned char c : uri) {
    if (c <= 0x20 || c == 0x7f)
      return fail("callback URL contains whitespace or control characters");
  }
  if (uri.find('#') != std::string_view::npos) return fail("callback URL must not have a fragment");
  size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return fail("callback URL must be absolute");
  std::string_view scheme = uri.substr(0, colon);
  if (!(scheme[0] >= 'a' && scheme[0] <= 'z')) return fail("callback URL has an invalid scheme");
  for (char c : scheme) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!ok) return fail("callback URL has an invalid scheme");
  }
  if (scheme == "http" || scheme == "https") {
    auto parts = SplitHttp(uri);
    if (!parts || parts->host.empty()) return fail("callback URL must have a host");
    if (parts->has_userinfo) return fail("callback URL must not contain user information");
  } else if (colon + 1 >= uri.size()) {
    return fail("callback URL has no path");
  }
  return true;
}

bool IsLoopbackRedirect(std::string_view uri) {
  auto parts = SplitHttp(uri);
  return parts && parts->scheme == "http" && !parts->has_userinfo && IsLoopbackHost(parts->host);
}

bool RedirectUriAllowed(const Client& client, std::string_view uri) {
  for (const auto& cb : client.callbacks) {
    if (cb == uri) return true;
  }
  if (client.app_type != "native" || !IsLoopbackRedirect(uri)) return false;
  // RFC 8252 §7.3: the port of a loopback redirect is chosen at run time, so
  // everything but the port must still match byte for byte.
  auto want = SplitHttp(uri);
  for (const auto& cb : client.callbacks) {
    if (!IsLoopbackRedirect(cb)) continue;
    auto have = SplitHttp(cb);
    if (have->host == want->host && have->rest == want->rest) return true;
  }
  return false;
}

}  // namespace gatehouse::oauth
