#pragma once
// The seam where the rules pipeline runs (SPEC §2.3). oauth's grants that log
// a user in without a browser (password, refresh_token) call it; the flow
// module implements it (flow may use oauth, never the reverse). Until the
// rules issue lands, the implementation lets every login through unchanged.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "oauth/client.h"

namespace gatehouse::oauth {

struct LoginRequest {
  std::string protocol;  // "oauth2-password" | "oauth2-refresh-token" | "oidc-basic-profile" | ...
  Client client;
  nlohmann::json user;  // accounts::User::ToJson()
  std::string scope;
  std::string audience;
  std::string ip, user_agent, hostname;
};

struct LoginOutcome {
  enum class Kind { kContinue, kDeny, kError, kInteractionRequired };
  Kind kind = Kind::kContinue;
  nlohmann::json user;  // possibly changed by rules
  nlohmann::json id_token_claims = nlohmann::json::object();
  nlohmann::json access_token_claims = nlohmann::json::object();
  std::string scope;  // possibly narrowed
  std::string error;  // "unauthorized" | "access_denied" | "server_error" | "interaction_required"
  std::string error_description;
};

class LoginPipeline {
 public:
  virtual ~LoginPipeline() = default;
  // Runs the login pipeline; `done` is called exactly once, possibly on another thread.
  virtual void Run(LoginRequest request, std::function<void(LoginOutcome)> done) = 0;
};

}  // namespace gatehouse::oauth
