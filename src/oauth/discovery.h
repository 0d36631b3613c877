#pragma once
// OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414) for one issuer.

#include <map>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>

namespace gatehouse::oauth {

// Every endpoint is under `issuer` ("https://host/"), so each custom domain
// advertises its own URLs. authorization_response_iss_parameter_supported is
// true: the flow sends "iss" with every authorization response (RFC 9207).
nlohmann::json DiscoveryDocument(const std::string& issuer);

// DiscoveryDocument(issuer) serialized, built once per issuer: the document
// depends on nothing else, and rebuilding the JSON per request cost more than
// the rest of the request. Remembers at most kMaxIssuers issuers (issuers come
// from the configured domains, which the host guard enforces; past the cap the
// body is built per request). Thread-safe.
class DiscoveryCache {
 public:
  static constexpr size_t kMaxIssuers = 64;
  std::string Body(const std::string& issuer);

 private:
  std::shared_mutex mu_;
  std::map<std::string, std::string, std::less<>> bodies_;
};

}  // namespace gatehouse::oauth
