#pragma once
// Users who sign in through a connection (SPEC-compatible with Auth0):
//   user_id    "oidc|<connection>|<sub>"
//   identities [{provider:"oidc", connection, user_id:<sub>, isSocial, profileData}]
// The profile (given_name, family_name, name, nickname, email,
// email_verified, picture) is refreshed from the upstream claims at every
// login. Identities beyond what accounts::User::ToJson shows (profileData, a
// linked identity) are kept in records of kind "user_identities" (id = the
// Gatehouse user id); an identity linked to a database user is found through
// a record of kind "identity_link" (id = "oidc|<connection>|<sub>").

#include <nlohmann/json.hpp>
#include <string>

#include "accounts/user_service.h"
#include "connections/connection.h"
#include "core/status.h"
#include "storage/storage.h"

namespace gatehouse::connections {

// The profile attributes of `claims` through `c`'s claim mapping.
struct MappedProfile {
  std::string email, given_name, family_name, name, nickname, picture;
  bool email_verified = false;
};
MappedProfile MapProfile(const Connection& c, const nlohmann::json& claims);

// "oidc|<connection>|<sub>".
std::string FederatedUserId(const std::string& connection, const std::string& sub);

struct FederatedLogin {
  accounts::User user;
  nlohmann::json user_json;  // ToJson() with the full identities (for rules and tokens)
  bool created = false;      // a new user was created
  bool linked = false;       // the identity is linked to an existing database user
};

// Thread-safe (stateless over storage).
class FederatedUsers {
 public:
  explicit FederatedUsers(storage::Storage& storage);

  // Finds or creates the user for `claims` (verified ID token claims of `c`),
  // refreshes the profile, records the login from `ip`. With
  // c.link_by_verified_email, a first login whose email is verified upstream
  // and belongs to a database-connection user signs in as that user.
  // Errors: InvalidArgument (no email from the upstream: message safe to
  // show), PermissionDenied (the user is blocked), AlreadyExists (another
  // account of this connection has the email), storage errors.
  Result<FederatedLogin> SignIn(const Connection& c, const nlohmann::json& claims,
                                const std::string& ip);

  // `user_json` (accounts::User::ToJson) with the stored identities merged:
  // profileData/isSocial on the matching entry, linked identities appended.
  // Storage errors leave it unchanged (best effort).
  void AttachIdentities(nlohmann::json& user_json);

 private:
  Status PutIdentity(const std::string& user_id, const nlohmann::json& identity);

  storage::Storage& storage_;
};

}  // namespace gatehouse::connections
