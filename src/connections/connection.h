#pragma once
// An upstream OpenID Connect identity provider ("connection", strategy "oidc")
// users may sign in through, in Auth0's Management API shape:
//   {id, name, display_name, strategy:"oidc", is_domain_connection,
//    enabled_clients:[...], options:{discovery_url, issuer, client_id,
//    client_secret (write-only), scopes, pkce, is_social, claim_mapping,
//    link_by_verified_email}}

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::connections {

inline constexpr const char* kStrategy = "oidc";

struct Connection {
  std::string id;    // "con_" + 16 random alphanumerics; set by the repo
  std::string name;  // unique; [A-Za-z0-9-] 1..128, no leading/trailing '-'; part of user ids
  std::string display_name;   // the "Continue with <display_name>" button; defaults to name
  std::string issuer;         // the upstream issuer, exactly as its ID tokens carry it
  std::string discovery_url;  // defaults to <issuer>/.well-known/openid-configuration
  std::string client_id;
  std::string client_secret;  // a secret: never returned by the API or the CLI
  std::string scopes = "openid profile email";
  bool pkce = true;        // S256; off only for providers that refuse code_challenge
  bool is_social = false;  // identities[].isSocial
  // Profile attribute -> upstream claim name, over the identity mapping of the
  // standard claims (given_name, family_name, name, nickname, email,
  // email_verified, picture). E.g. {"nickname": "preferred_username"}.
  std::map<std::string, std::string> claim_mapping;
  // Off by default: a first login whose verified email matches an existing
  // database user signs in as that user instead of creating a new one
  // (docs/connections.md explains why this is dangerous with a careless IdP).
  bool link_by_verified_email = false;
  bool is_domain_connection = false;         // stored and returned, not acted on
  std::vector<std::string> enabled_clients;  // client ids allowed to use it
  int64_t version = 0;                       // of the stored record

  // True when `client_id` is listed in enabled_clients.
  bool EnabledFor(const std::string& client_id) const;
  // discovery_url, or the well-known URL under the issuer.
  std::string DiscoveryUrl() const;

  // The stored payload (with the secret).
  nlohmann::json ToRecord() const;
  static Result<Connection> FromRecord(const nlohmann::json& data);
  // The API shape: never the client secret.
  nlohmann::json ToApi() const;
};

// Checks and applies an API body (create when `creating`, else a PATCH) to
// `c`. InvalidArgument with a message safe for API clients: unknown or
// ill-typed properties, a bad name, a missing issuer/discovery URL or client
// id on create, a non-https URL (http only for loopback hosts), name or
// strategy changes on PATCH.
Status ApplyApiBody(const nlohmann::json& body, bool creating, Connection& c);

// A connection name as Auth0 accepts it.
Status ValidateConnectionName(const std::string& name);

}  // namespace gatehouse::connections
