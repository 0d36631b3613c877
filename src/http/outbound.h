#pragma once
// Outbound HTTP(S) requests: what rules (fetch / request / axios) and upstream
// identity-provider connections use to reach other servers. Implemented on
// libcurl (outbound.cc); nothing else in the tree talks to libcurl.
//
// Every request is checked against an OutboundPolicy *after* name resolution,
// against the address actually connected to, so a host name that resolves to
// a refused address (DNS rebinding) is refused too. Link-local addresses
// (169.254.0.0/16, fe80::/10) and the cloud metadata addresses
// (169.254.169.254, fd00:ec2::254, metadata.google.internal) are always
// refused, whatever the policy says.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace gatehouse::http {

struct OutboundPolicy {
  // Host names or IP literals (exact, case-insensitive, trailing dot ignored)
  // or "*.suffix" patterns, which match subdomains only ("*.example.com" does
  // not match "example.com"). Empty = any host not denied. A denied host is
  // refused even when also allowed. Checked on every redirect hop.
  std::vector<std::string> allow_hosts;
  std::vector<std::string> deny_hosts;
  // Loopback and private (RFC 1918 / ULA) destinations; operators who run
  // Gatehouse beside internal APIs keep these on, hardened setups turn them off.
  bool allow_loopback = true;
  bool allow_private = true;
  // Response bodies larger than this fail with ResourceExhausted; the transfer
  // is cut as soon as the cap is crossed, not after downloading everything.
  int64_t max_response_bytes = 10 * 1024 * 1024;
  // Redirects are followed up to this many hops; each hop is checked again.
  // 303 (and 301/302 after a POST) continue as GET without body; Authorization
  // and Cookie headers are dropped when a hop changes host.
  int max_redirects = 5;
};

struct OutboundRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Budget for the whole exchange: resolution, connect, TLS, transfer.
  std::chrono::milliseconds timeout{10000};
};

struct OutboundResponse {
  int status = 0;
  // Header names lower-cased, in the order received (repeats kept).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string url;  // the final URL after redirects

  // First header with this (lower-case) name, or "".
  std::string Header(const std::string& lower_name) const;
};

// Thread-safe: one client is shared by every rules worker and flow handler.
// Fetch blocks the calling thread for at most the request's timeout, so it must
// never be called on an HTTP I/O thread. Environment proxies (http_proxy) are
// ignored: a proxy would connect on our behalf, past the address check.
class OutboundClient {
 public:
  virtual ~OutboundClient() = default;
  static std::unique_ptr<OutboundClient> Create(OutboundPolicy policy);

  // Any HTTP status (including 4xx/5xx) is a successful Result. Errors:
  //   InvalidArgument    malformed URL, scheme other than http/https, CR/LF in a header
  //   PermissionDenied   destination refused by the policy (message names the host, not the rule)
  //   Expired            the timeout elapsed
  //   ResourceExhausted  the response body exceeded max_response_bytes
  //   Unavailable        resolution, connection or TLS failure; more than max_redirects hops
  virtual Result<OutboundResponse> Fetch(const OutboundRequest& request) = 0;
};

}  // namespace gatehouse::http
