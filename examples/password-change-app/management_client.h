#pragma once
// The password-change app's own Management API client: a client_credentials
// token for <gatehouse>/api/v2/ (cached until shortly before it expires), then
// PATCH /api/v2/users/{id} with the new password, as an Auth0 tenant expects.

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "http/outbound.h"

namespace gatehouse::examples {

struct ManagementClientOptions {
  std::string gatehouse_url;  // "https://login.example.com" (no trailing '/')
  std::string client_id;      // a machine-to-machine client with update:users
  std::string client_secret;
  const Clock* clock = &Clock::System();
};

// Thread-safe. Calls block (outbound HTTP): never call them on an I/O thread.
class ManagementClient {
 public:
  virtual ~ManagementClient() = default;
  static std::unique_ptr<ManagementClient> Create(ManagementClientOptions options,
                                                  std::shared_ptr<http::OutboundClient> http);

  // Sets the database-connection password of `user_id`.
  //   InvalidArgument  the API refused the password (message: the API's, safe
  //                    to show the user, e.g. the password policy's reason)
  //   NotFound         no such user
  //   Unavailable      Gatehouse unreachable, or answered something unexpected
  //   PermissionDenied the app's credentials were refused
  virtual Status SetPassword(const std::string& user_id, const std::string& password) = 0;
};

}  // namespace gatehouse::examples
