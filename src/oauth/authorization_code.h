#pragma once
// Authorization codes (SPEC §1): 256-bit random, stored only as a SHA-256
// hash (record kind "code"), single use, 60 s lifetime. Redeeming one twice
// fails with invalid_grant and revokes every token issued from it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "storage/storage.h"

namespace gatehouse::oauth {

// Everything the token endpoint needs to mint tokens for a finished login.
struct CodeGrant {
  std::string client_id;
  std::string user_id;
  std::string redirect_uri;
  std::string scope;     // granted scopes, space-separated
  std::string audience;  // "" = no API audience
  std::string nonce;
  int64_t auth_time = 0;  // unix seconds of the authentication
  std::string code_challenge;
  std::string code_challenge_method;
  std::string session_id;  // the SSO session, for logout and sid
  std::string issuer;      // the issuer of the domain the flow ran on
  nlohmann::json amr = nlohmann::json::array();
  // Set by rules (SPEC §4.4); empty objects until the rules issue.
  nlohmann::json id_token_claims = nlohmann::json::object();
  nlohmann::json access_token_claims = nlohmann::json::object();
  // The user profile as the rules left it (claims come from this, not storage).
  nlohmann::json user = nlohmann::json::object();

  nlohmann::json ToJson() const;
  static Result<CodeGrant> FromJson(const nlohmann::json& j);
};

// Stores the grant and returns the code to send to the client. Thread-safe.
Result<std::string> IssueAuthorizationCode(storage::Storage& storage, Random& random, Clock& clock,
                                           const CodeGrant& grant);

}  // namespace gatehouse::oauth
