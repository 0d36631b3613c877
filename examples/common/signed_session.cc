#include "common/signed_session.h"

#include "core/base64url.h"
#include "crypto/digest.h"

namespace gatehouse::examples {

SignedSession::SignedSession(std::string cookie_name, std::string key, std::chrono::seconds ttl,
                             const Clock& clock, bool secure)
    : cookie_name_(std::move(cookie_name)),
      key_(std::move(key)),
      ttl_(ttl),
      clock_(clock),
      secure_(secure) {}

std::string SignedSession::Mac(std::string_view payload) const {
  // The cookie name is signed too, so one site's session cannot be replayed
  // as another cookie of the same site.
  return crypto::Hmac(crypto::Hash::kSha256, key_, cookie_name_ + "\n" + std::string(payload));
}

http::SetCookie SignedSession::Issue(nlohmann::json data) const {
  data["exp"] = clock_.NowSeconds() + ttl_.count();
  const std::string payload = Base64UrlEncode(data.dump());
  return http::SetCookie{.name = cookie_name_,
                         .value = payload + "." + Base64UrlEncode(Mac(payload)),
                         .max_age = ttl_.count(),
                         .http_only = true,
                         .secure = secure_,
                         .same_site = "Lax"};
}

Result<nlohmann::json> SignedSession::Read(const http::Request& request) const {
  auto cookie = request.Cookie(cookie_name_);
  if (!cookie || cookie->empty()) return NotFound("no session");
  const size_t dot = cookie->find('.');
  if (dot == std::string::npos) return Unauthenticated("malformed session cookie");
  const std::string payload = cookie->substr(0, dot);
  auto mac = Base64UrlDecode(std::string_view(*cookie).substr(dot + 1));
  if (!mac || !crypto::ConstantTimeEquals(*mac, Mac(payload))) {
    return Unauthenticated("session cookie signature mismatch");
  }
  auto json = Base64UrlDecode(payload);
  if (!json) return Unauthenticated("malformed session payload");
  auto data = nlohmann::json::parse(*json, nullptr, /*allow_exceptions=*/false);
  if (!data.is_object() || !data["exp"].is_number_integer()) {
    return Unauthenticated("malformed session payload");
  }
  if (clock_.NowSeconds() >= data["exp"].get<int64_t>()) return Expired("session expired");
  return data;
}

http::SetCookie SignedSession::Clear() const {
  return http::SetCookie{.name = cookie_name_,
                         .value = "",
                         .max_age = 0,
                         .http_only = true,
                         .secure = secure_,
                         .same_site = "Lax"};
}

}  // namespace gatehouse::examples
