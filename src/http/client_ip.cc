#include "http/client_ip.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>

namespace gatehouse::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses an IPv4 or IPv6 address into its 128-bit form (IPv4 mapped into
// ::ffff:0:0/96 so one comparison covers both families).
std::optional<std::array<uint8_t, 16>> ParseAddress(std::string_view text, bool* v4 = nullptr) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buf[46];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::array<uint8_t, 16> out{};
  in_addr a4{};
  if (inet_pton(AF_INET, buf, &a4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    if (v4) *v4 = true;
    return out;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, buf, &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    if (v4) *v4 = false;
    return out;
  }
  return std::nullopt;
}

bool InRange(const std::array<uint8_t, 16>& addr, const std::array<uint8_t, 16>& net, int bits) {
  int full = bits / 8;
  if (std::memcmp(addr.data(), net.data(), static_cast<size_t>(full)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (addr[full] & mask) == (net[full] & mask);
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const std::string& raw : entries) {
    std::string_view entry = Trim(raw);
    std::string_view addr = entry;
    std::optional<int> prefix;
    if (size_t slash = entry.find('/'); slash != std::string_view::npos) {
      addr = entry.substr(0, slash);
      std::string_view bits = entry.substr(slash + 1);
      int n = -1;
      auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
      if (ec != std::errc() || p != bits.data() + bits.size() || bits.empty()) {
        return InvalidArgument("trusted proxy \"" + raw + "\": bad prefix length");
      }
      prefix = n;
    }
    bool v4 = false;
    auto parsed = ParseAddress(addr, &v4);
    if (!parsed) return InvalidArgument("trusted proxy \"" + raw + "\": not an IP address");
    int max = v4 ? 32 : 128;
    int bits = prefix.value_or(max);
    if (bits < 0 || bits > max) {
      return InvalidArgument("trusted proxy \"" + raw + "\": prefix length out of range");
    }
    out.ranges_.push_back(Range{*parsed, v4 ? bits + 96 : bits});
  }
  return out;
}

bool TrustedProxies::Contains(std::string_view ip) const {
  if (ranges_.empty()) return false;
  auto addr = ParseAddress(Trim(ip));
  if (!addr) return false;
  for (const Range& r : ranges_) {
    if (InRange(*addr, r.addr, r.prefix)) return true;
  }
  return false;
}

std::string TrustedProxies::ClientIp(std::string_view peer, const Headers& headers) const {
  std::string current(peer);
  if (!Contains(current)) return current;
  std::vector<std::string_view> hops;
  auto [begin, end] = headers.equal_range("x-forwarded-for");
  for (auto it = begin; it != end; ++it) {
    std::string_view v = it->second;
    while (true) {
      size_t comma = v.find(',');
      hops.push_back(Trim(v.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!ParseAddress(*it)) return current;
    current = std::string(*it);
    if (!Contains(current)) return current;
  }
  return current;  // every hop is a trusted proxy: the leftmost one
}

}  // namespace gatehouse::http
