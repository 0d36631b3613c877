#include "server/domain_guard.h"

#include <algorithm>
#include <cctype>

namespace gatehouse::server {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits "host:port" / "[v6]:port" into host and ":port" (suffix may be "").
std::pair<std::string, std::string> SplitPort(const std::string& d) {
  auto colon = d.rfind(':');
  auto bracket = d.rfind(']');
  if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket))
    return {d, ""};
  return {d.substr(0, colon), d.substr(colon)};
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

}  // namespace

DomainGuard::DomainGuard(const std::vector<std::string>& domains) {
  for (const auto& d : domains) {
    std::string lower = Lower(d);
    allowed_.insert(lower);
    auto [host, port] = SplitPort(lower);
    if (IsLoopback(host)) any_loopback_ = true;
  }
}

bool DomainGuard::Allows(std::string_view host) const {
  std::string lower = Lower(host);
  if (allowed_.count(lower)) return true;
  if (!any_loopback_) return false;
  auto [name, port] = SplitPort(lower);
  if (!IsLoopback(name)) return false;
  if (port.empty()) return true;
  // ":<digits>" only: "localhost:80@evil" and friends are not loopback.
  return port.size() > 1 && port.size() <= 6 &&
         std::all_of(port.begin() + 1, port.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace gatehouse::server
