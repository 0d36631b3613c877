#pragma once
// A cookie session without server-side storage: the session is a JSON object
// carried in the cookie as base64url(json) "." base64url(HMAC-SHA256), so the
// browser can hold it but not change it. It expires on its own ("exp" inside
// the signed part), and Clear() drops it from the browser.
//
// What this does not give: a cleared session copied out of the browser before
// it was cleared stays valid until it expires. The example sites rely on
// Gatehouse's single-use /continue state for "only once".

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "http/cookie.h"
#include "http/request.h"

namespace gatehouse::examples {

// Immutable after construction; thread-safe.
class SignedSession {
 public:
  // `key`: at least 32 random bytes. `secure`: set the Secure attribute (sites
  // served over https). The clock must outlive the session.
  SignedSession(std::string cookie_name, std::string key, std::chrono::seconds ttl,
                const Clock& clock, bool secure);

  // A Set-Cookie carrying `data` (a JSON object) for the next `ttl`.
  http::SetCookie Issue(nlohmann::json data) const;
  // The session data from the request's cookie. NotFound when there is no
  // cookie (never started, or cleared); Unauthenticated when the cookie was
  // altered or is malformed; Expired when its time is over.
  Result<nlohmann::json> Read(const http::Request& request) const;
  // A Set-Cookie that deletes the session cookie.
  http::SetCookie Clear() const;

 private:
  std::string Mac(std::string_view payload) const;

  std::string cookie_name_;
  std::string key_;
  std::chrono::seconds ttl_;
  const Clock& clock_;
  bool secure_;
};

}  // namespace gatehouse::examples
