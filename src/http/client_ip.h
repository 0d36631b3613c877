#pragma once
// Which address a request really comes from. X-Forwarded-For is written by the
// client unless a proxy we run overwrites or appends to it, so it is believed
// only hop by hop from the right, and only while the hop that wrote it is one
// of the configured trusted proxies (server.trusted_proxies).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/headers.h"

namespace gatehouse::http {

// An immutable set of addresses and CIDR ranges (IPv4 and IPv6). Thread-safe
// (read-only after Parse).
class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts nobody: the peer address is the client

  // Each entry is an address ("10.0.0.1", "::1") or a range ("10.0.0.0/8",
  // "fd00::/8"). InvalidArgument naming the first malformed entry.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& entries);

  // True when `ip` (a textual address) is inside one of the ranges. A
  // malformed address is never trusted. IPv4-mapped IPv6 ("::ffff:a.b.c.d")
  // is matched as the IPv4 address.
  bool Contains(std::string_view ip) const;

  // The client address: `peer` when it is not trusted; otherwise walks the
  // X-Forwarded-For hops (every such header, in wire order, comma-separated)
  // from the right and returns the first one that is not a trusted proxy. A
  // malformed hop stops the walk: the last trusted hop that vouched for it is
  // returned instead (never the attacker-chosen text). Never fails.
  std::string ClientIp(std::string_view peer, const Headers& headers) const;

  bool empty() const { return ranges_.empty(); }

 private:
  struct Range {
    std::array<uint8_t, 16> addr{};  // IPv4 as IPv4-mapped IPv6
    int prefix = 128;                // bits, on the 128-bit form
  };
  std::vector<Range> ranges_;
};

}  // namespace gatehouse::http
