#include "oauth/issuer.h"

namespace gatehouse::oauth {

std::string IssuerFor(const http::Request& request) {
  std::string host = request.Host();
  // The default port is not part of the URL a client types, so it is not part
  // of the issuer either (issuers are compared as strings).
  const std::string default_port = request.tls ? ":443" : ":80";
  if (host.size() > default_port.size() &&
      host.compare(host.size() - default_port.size(), default_port.size(), default_port) == 0) {
    host.resize(host.size() - default_port.size());
  }
  return (request.tls ? "https://" : "http://") + host + "/";
}

}  // namespace gatehouse::oauth
