#pragma once
// One line of an Auth0 user export (JSON Lines), as a sign-up with a
// pre-hashed password.

#include <string>
#include <string_view>

#include "accounts/user_service.h"
#include "core/status.h"

namespace gatehouse::accounts {

struct ImportedUser {
  SignUpInput input;    // password empty; password_hash set when the line has one
  std::string user_id;  // the exported "user_id" ("auth0|..."), or "" to mint one
};

// Reads email, email_verified, user_id, username, given_name, family_name,
// name, nickname, picture, user_metadata, app_metadata and the password hash
// ("password_hash": "<bcrypt or argon2id>", or "custom_password_hash":
// {"algorithm": "bcrypt"|"argon2", "hash": {"value": "..."}}). Unknown fields
// are ignored. InvalidArgument with a short reason ("not a JSON object",
// "email is missing", "unsupported password hash") for a bad line; the email
// itself is validated by the caller. Thread-safe.
Result<ImportedUser> ParseAuth0ExportLine(std::string_view line);

}  // namespace gatehouse::accounts
