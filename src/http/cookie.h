#pragma once
// Cookies: parsing the request Cookie header and serialising Set-Cookie.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::http {

// Finds cookie `name` in one Cookie header value ("a=1; b=2"). Pairs are split
// on ';', surrounding spaces/tabs trimmed, and a value wrapped in double quotes
// is unquoted. The first pair with that exact (case-sensitive) name wins.
// Returns nullopt when absent; a present empty cookie ("a=") returns "".
std::optional<std::string> FindCookie(std::string_view cookie_header, std::string_view name);

// One Set-Cookie header. Values are emitted as given: callers must pass names
// and values that are valid cookie tokens (e.g. base64url tokens).
struct SetCookie {
  // Every member has an initializer so designated initializers
  // (SetCookie{.name = "a", .value = "b"}) compile cleanly under -Wextra.
  std::string name{}, value{}, path = "/", domain{};
  std::optional<int64_t> max_age{};  // nullopt => session cookie; 0 => delete
  bool http_only = true, secure = false;
  std::string same_site = "Lax";  // "Strict", "Lax", "None", or "" to omit
  // "name=value; Path=/; Domain=d; Max-Age=n; Secure; HttpOnly; SameSite=Lax"
  // (attributes with empty/unset values are omitted).
  std::string Serialize() const;
};

}  // namespace gatehouse::http
