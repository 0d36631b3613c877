#include "flow/redirect_url.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "http/params.h"

namespace gatehouse::flow {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "[::1]") return true;
  // 127.0.0.0/8 in dotted-quad form only: anything looser could name another host.
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  int digits = 0;
  for (char c : host) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (std::isdigit(static_cast<unsigned char>(c)) && digits < 3) {
      ++digits;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

}  // namespace

Status ValidateRedirectUrl(const std::string& url, bool allow_http) {
  if (url.empty()) return InvalidArgument("redirect URL is empty");
  if (url.size() > 8192) return InvalidArgument("redirect URL is longer than 8192 bytes");
  for (unsigned char c : url) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgument("redirect URL contains a control character (CR/LF?)");
    }
    if (c == ' ') return InvalidArgument("redirect URL contains a space");
    // Browsers read '\' as '/', which can move the host part.
    if (c == '\\') return InvalidArgument("redirect URL contains a backslash");
  }
  std::string_view rest;
  bool https = StartsWithNoCase(url, "https://");
  if (https) {
    rest = std::string_view(url).substr(8);
  } else if (StartsWithNoCase(url, "http://")) {
    rest = std::string_view(url).substr(7);
  } else {
    return InvalidArgument("redirect URL is not an absolute https URL");
  }
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return InvalidArgument("redirect URL contains userinfo");
  }
  std::string host;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return InvalidArgument("redirect URL host is malformed");
    host = Lower(authority.substr(0, close + 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return InvalidArgument("redirect URL host is malformed");
    }
  } else {
    host = Lower(authority.substr(0, authority.find(':')));
  }
  if (host.empty()) return InvalidArgument("redirect URL has no host");
  if (!https && !allow_http && !IsLoopbackHost(host)) {
    return InvalidArgument("redirect URL uses http to a host that is not loopback");
  }
  if (authority_end != std::string_view::npos) {
    std::string_view tail = rest.substr(authority_end);
    size_t q = tail.find('?');
    if (q != std::string_view::npos) {
      std::string_view query = tail.substr(q + 1);
      query = query.substr(0, query.find('#'));
      size_t pos = 0;
      while (pos <= query.size()) {
        size_t amp = query.find('&', pos);
        std::string_view pair =
            query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
        std::string_view name = pair.substr(0, pair.find('='));
        auto decoded = http::PercentDecode(name);
        // An undecodable name is compared raw: it cannot be "state" once decoded.
        if (Lower(decoded.ok() ? *decoded : std::string(name)) == "state") {
          return InvalidArgument("redirect URL has a state parameter of its own");
        }
        if (amp == std::string_view::npos) break;
        pos = amp + 1;
      }
    }
  }
  return Status::Ok();
}

std::string AppendStateParam(const std::string& url, const std::string& state) {
  size_t hash = url.find('#');
  std::string base = url.substr(0, hash);
  std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  std::string param = "state=" + http::UrlEncode(state);
  size_t q = base.find('?');
  if (q == std::string::npos) {
    base += "?" + param;
  } else if (base.back() == '?' || base.back() == '&') {
    base += param;
  } else {
    base += "&" + param;
  }
  return base + fragment;
}

}  // namespace gatehouse::flow
