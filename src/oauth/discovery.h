#pragma once
// OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414) for one issuer.

#include <nlohmann/json.hpp>
#include <string>

namespace gatehouse::oauth {

// Every endpoint is under `issuer` ("https://host/"), so each custom domain
// advertises its own URLs. authorization_response_iss_parameter_supported is
// true: the flow sends "iss" with every authorization response (RFC 9207).
nlohmann::json DiscoveryDocument(const std::string& issuer);

}  // namespace gatehouse::oauth
