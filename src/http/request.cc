#include "http/request.h"

#include "http/cookie.h"

namespace gatehouse::http {

std::optional<std::string> Request::Header(std::string_view name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  auto [first, last] = headers.equal_range(std::string("cookie"));
  for (auto it = first; it != last; ++it) {
    if (auto v = FindCookie(it->second, name)) return v;
  }
  return std::nullopt;
}

std::string Request::Host() const { return ToLower(Header("host").value_or("")); }

Result<Params> Request::Form() const {
  std::string type = ToLower(Header("content-type").value_or(""));
  std::string_view media = type;
  media = media.substr(0, media.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  if (media != "application/x-www-form-urlencoded") {
    return InvalidArgument("Content-Type is not application/x-www-form-urlencoded");
  }
  return ParseQuery(body);
}

}  // namespace gatehouse::http
