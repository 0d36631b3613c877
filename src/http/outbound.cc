// OutboundClient on libcurl. One easy handle per Fetch (no shared state
// between calls except curl_global_init), redirects followed here rather than
// by libcurl so each hop's host is checked against the lists, and every socket
// libcurl opens passes through OpenSocket, which checks the resolved address
// before connect(): that is what covers DNS rebinding and literal IPs alike.

#include "http/outbound.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>

namespace gatehouse::http {

std::string OutboundResponse::Header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return "";
}

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

bool HasCrLfOrNul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// RFC 7230 token characters: what a header name or method may contain.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// "Host" of a URL as the lists compare it: lower case, no brackets, no
// trailing dot (so "metadata.google.internal." is the same host).
std::string NormalizeHost(std::string host) {
  host = Lower(std::move(host));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

bool HostMatches(const std::string& host, const std::string& raw_pattern) {
  std::string pattern = NormalizeHost(raw_pattern);
  if (pattern.size() > 2 && pattern.compare(0, 2, "*.") == 0) {
    std::string suffix = pattern.substr(1);  // ".example.com": subdomains only
    return host.size() > suffix.size() &&
           host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return host == pattern;
}

enum class AddressKind { kPublic, kLoopback, kPrivate, kAlwaysRefused };

AddressKind ClassifyV4(uint32_t a) {  // host byte order
  auto in = [a](uint32_t net, int bits) {
    uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    return (a & mask) == net;
  };
  if (in(0xA9FE0000, 16)) return AddressKind::kAlwaysRefused;  // 169.254/16 link-local + metadata
  if (in(0x7F000000, 8) || in(0x00000000, 8)) {
    return AddressKind::kLoopback;  // 0.0.0.0/8 reaches this host on Linux
  }
  if (in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10)) {
    return AddressKind::kPrivate;  // RFC 1918 + RFC 6598 shared address space
  }
  if (in(0xE0000000, 4) || in(0xFFFFFFFF, 32)) return AddressKind::kAlwaysRefused;  // multicast
  return AddressKind::kPublic;
}

AddressKind ClassifyV6(const std::array<uint8_t, 16>& b) {
  static constexpr std::array<uint8_t, 16> kLoopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0, 0, 0, 1};
  static constexpr std::array<uint8_t, 16> kUnspecified = {};
  static constexpr std::array<uint8_t, 16> kAwsMetadata = {
      0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
  bool v4_mapped = std::all_of(b.begin(), b.begin() + 10, [](uint8_t x) { return x == 0; }) &&
                   b[10] == 0xff && b[11] == 0xff;
  // 64:ff9b::/96 is the NAT64 well-known prefix: on a NAT64 network it
  // reaches the embedded IPv4 address, so it is judged as that address.
  static constexpr std::array<uint8_t, 12> kNat64 = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  bool nat64 = std::equal(kNat64.begin(), kNat64.end(), b.begin());
  if (v4_mapped || nat64) {
    return ClassifyV4(uint32_t{b[12]} << 24 | uint32_t{b[13]} << 16 | uint32_t{b[14]} << 8 |
                      uint32_t{b[15]});
  }
  if (b == kAwsMetadata) return AddressKind::kAlwaysRefused;
  if (b == kLoopback || b == kUnspecified) return AddressKind::kLoopback;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressKind::kAlwaysRefused;  // fe80::/10
  if (b[0] == 0xff) return AddressKind::kAlwaysRefused;                           // multicast
  if ((b[0] & 0xfe) == 0xfc) return AddressKind::kPrivate;                        // fc00::/7 ULA
  return AddressKind::kPublic;
}

std::once_flag g_curl_init_once;

void InitCurlOnce() {
  std::call_once(g_curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Per-transfer state shared with the libcurl callbacks.
struct Transfer {
  const OutboundPolicy* policy = nullptr;
  std::string refused;  // why OpenSocket refused an address ("" = none refused)
  bool too_large = false;
  OutboundResponse response;
};

curl_socket_t OpenSocket(void* clientp, curlsocktype purpose, struct curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  AddressKind kind = AddressKind::kAlwaysRefused;
  char text[INET6_ADDRSTRLEN] = "?";
  if (address->family == AF_INET && address->addrlen >= sizeof(sockaddr_in)) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address->addr);
    kind = ClassifyV4(ntohl(in->sin_addr.s_addr));
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
  } else if (address->family == AF_INET6 && address->addrlen >= sizeof(sockaddr_in6)) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
    std::array<uint8_t, 16> bytes{};
    std::copy(in6->sin6_addr.s6_addr, in6->sin6_addr.s6_addr + 16, bytes.begin());
    kind = ClassifyV6(bytes);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
  }
  const char* why = nullptr;
  if (kind == AddressKind::kAlwaysRefused) {
    why = "link-local, metadata or multicast address";
  } else if (kind == AddressKind::kLoopback && !t->policy->allow_loopback) {
    why = "loopback address";
  } else if (kind == AddressKind::kPrivate && !t->policy->allow_private) {
    why = "private address";
  }
  if (why != nullptr) {
    t->refused = std::string(why) + " " + text;
    return CURL_SOCKET_BAD;  // before connect(): a refused address costs no time
  }
  return socket(address->family, address->socktype, address->protocol);
}

size_t OnBody(char* data, size_t size, size_t count, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  size_t n = size * count;
  if (static_cast<int64_t>(t->response.body.size() + n) > t->policy->max_response_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response starts (after a 100 Continue, say): keep only the last.
    t->response.headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // blank line or junk
  t->response.headers.emplace_back(Lower(std::string(line.substr(0, colon))),
                                   Trim(line.substr(colon + 1)));
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

struct ParsedUrl {
  std::string url;  // normalized by libcurl
  std::string scheme;
  std::string host;  // normalized (see NormalizeHost)
};

Result<ParsedUrl> ParseUrl(const std::string& url) {
  if (HasCrLfOrNul(url)) return InvalidArgument("URL contains CR, LF or NUL");
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) return Internal("curl_url failed");
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return InvalidArgument("malformed URL");
  }
  auto part = [&](CURLUPart p) -> std::string {
    char* raw = nullptr;
    if (curl_url_get(u.get(), p, &raw, 0) != CURLUE_OK || raw == nullptr) return "";
    std::unique_ptr<char, CurlStringDeleter> owned(raw);
    return raw;
  };
  ParsedUrl parsed;
  parsed.scheme = Lower(part(CURLUPART_SCHEME));
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    return InvalidArgument("only http and https URLs are allowed");
  }
  parsed.host = NormalizeHost(part(CURLUPART_HOST));
  if (parsed.host.empty()) return InvalidArgument("URL has no host");
  parsed.url = part(CURLUPART_URL);
  return parsed;
}

class CurlOutboundClient : public OutboundClient {
 public:
  explicit CurlOutboundClient(OutboundPolicy policy) : policy_(std::move(policy)) {}

  Result<OutboundResponse> Fetch(const OutboundRequest& request) override {
    if (!IsToken(request.method)) return InvalidArgument("invalid HTTP method");
    for (const auto& [name, value] : request.headers) {
      if (!IsToken(name)) return InvalidArgument("invalid header name");
      if (HasCrLfOrNul(value)) return InvalidArgument("header value contains CR, LF or NUL");
    }
    auto deadline = std::chrono::steady_clock::now() + request.timeout;

    std::string method = request.method;
    std::string body = request.body;
    auto headers = request.headers;
    GH_ASSIGN_OR_RETURN(ParsedUrl url, ParseUrl(request.url));
    for (int hop = 0;; ++hop) {
      GH_RETURN_IF_ERROR(CheckHost(url.host));
      auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (remaining.count() <= 0) return Expired("outbound request to " + url.host + " timed out");
      std::string location;
      GH_ASSIGN_OR_RETURN(OutboundResponse response,
                          Perform(method, url.url, headers, body, remaining, &location));
      bool redirect = !location.empty() &&
                      (response.status == 301 || response.status == 302 || response.status == 303 ||
                       response.status == 307 || response.status == 308);
      if (!redirect) return response;
      if (hop >= policy_.max_redirects) {
        return Unavailable("outbound request to " + url.host + ": too many redirects");
      }
      GH_ASSIGN_OR_RETURN(ParsedUrl next, ParseUrl(location));
      // 303, and 301/302 after a POST, turn into a GET without body, as browsers do.
      if (response.status == 303 ||
          ((response.status == 301 || response.status == 302) && method == "POST")) {
        if (method != "HEAD") method = "GET";
        body.clear();
        std::erase_if(headers, [](const auto& h) {
          std::string n = Lower(h.first);
          return n == "content-type" || n == "content-length";
        });
      }
      // Credentials meant for one host are not handed to the next.
      if (next.host != url.host) {
        std::erase_if(headers, [](const auto& h) {
          std::string n = Lower(h.first);
          return n == "authorization" || n == "cookie" || n == "proxy-authorization";
        });
      }
      url = std::move(next);
    }
  }

 private:
  Status CheckHost(const std::string& host) const {
    if (host == "metadata.google.internal" || host == "metadata") {
      return PermissionDenied("outbound request to " + host + " refused: cloud metadata host");
    }
    for (const auto& pattern : policy_.deny_hosts) {
      if (HostMatches(host, pattern)) {
        return PermissionDenied("outbound request to " + host + " refused: host is denied");
      }
    }
    if (policy_.allow_hosts.empty()) return Status::Ok();
    for (const auto& pattern : policy_.allow_hosts) {
      if (HostMatches(host, pattern)) return Status::Ok();
    }
    return PermissionDenied("outbound request to " + host + " refused: host is not allowed");
  }

  // One exchange, no redirect following. `location` receives the absolute
  // redirect target when the response carries one.
  Result<OutboundResponse> Perform(const std::string& method, const std::string& url,
                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& body, std::chrono::milliseconds timeout,
                                   std::string* location) {
    InitCurlOnce();
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Internal("curl_easy_init failed");
    CURL* c = curl.get();
    Transfer t;
    t.policy = &policy_;

    std::unique_ptr<curl_slist, SlistDeleter> list;
    for (const auto& [name, value] : headers) {
      // "Name:" alone would make libcurl drop the header; "Name;" sends it empty.
      std::string line = value.empty() ? name + ";" : name + ": " + value;
      curl_slist* appended = curl_slist_append(list.get(), line.c_str());
      if (appended == nullptr) return Internal("curl_slist_append failed");
      (void)list.release();
      list.reset(appended);
    }
    // libcurl adds "Expect: 100-continue" to large bodies; that costs a round
    // trip (or a 1 s wait) against servers that ignore it.
    curl_slist* appended = curl_slist_append(list.get(), "Expect:");
    if (appended == nullptr) return Internal("curl_slist_append failed");
    (void)list.release();
    list.reset(appended);

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROXY, "");  // an environment proxy would bypass OpenSocket
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // decoded bytes count against the cap
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(policy_.max_response_bytes));
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Gatehouse");
    if (method == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (method != "GET" || !body.empty()) {
      if (method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
      if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
      }
    }

    CURLcode rc = curl_easy_perform(c);
    std::string host = HostOf(url);
    if (!t.refused.empty()) {
      return PermissionDenied("outbound request to " + host + " refused: " + t.refused);
    }
    if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      return ResourceExhausted("outbound response from " + host + " exceeds " +
                               std::to_string(policy_.max_response_bytes) + " bytes");
    }
    switch (rc) {
      case CURLE_OK: break;
      case CURLE_OPERATION_TIMEDOUT: return Expired("outbound request to " + host + " timed out");
      case CURLE_URL_MALFORMAT:
      case CURLE_UNSUPPORTED_PROTOCOL:
        return InvalidArgument(std::string("outbound request: ") + curl_easy_strerror(rc));
      case CURLE_OUT_OF_MEMORY: return Internal("outbound request: out of memory");
      default:
        return Unavailable("outbound request to " + host + " failed: " + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = static_cast<int>(status);
    t.response.url = url;
    char* redirect = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect != nullptr) {
      *location = redirect;
    }
    return std::move(t.response);
  }

  static std::string HostOf(const std::string& url) {
    auto parsed = ParseUrl(url);
    return parsed.ok() ? parsed->host : "?";
  }

  const OutboundPolicy policy_;
};

}  // namespace

std::unique_ptr<OutboundClient> OutboundClient::Create(OutboundPolicy policy) {
  InitCurlOnce();
  return std::make_unique<CurlOutboundClient>(std::move(policy));
}

}  // namespace gatehouse::http
