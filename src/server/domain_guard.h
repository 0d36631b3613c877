#pragma once
// Which Host headers this deployment answers (SPEC §1, §3.7): the primary
// domain and the custom domains. Any other Host gets 421 Misdirected Request,
// so a token or page is never minted for a name the operator did not choose.

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::server {

class DomainGuard {
 public:
  // `domains` are host[:port] values from the configuration. A loopback
  // domain (127.0.0.1, localhost, [::1]) admits every loopback spelling on any
  // port: on a developer's machine browsers and curl use them interchangeably,
  // and `serve --listen` may move the port without editing the domain. A
  // loopback name cannot be pointed at us from outside (DNS rebinding needs a
  // foreign name, which stays refused), so this widens nothing an attacker reaches.
  explicit DomainGuard(const std::vector<std::string>& domains);

  // True when `host` (the Host header, any case) is configured.
  bool Allows(std::string_view host) const;

 private:
  std::set<std::string> allowed_;
  bool any_loopback_ = false;
};

}  // namespace gatehouse::server
