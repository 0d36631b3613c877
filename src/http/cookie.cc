#include "http/cookie.h"

namespace gatehouse::http {
namespace {
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<std::string> FindCookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (Trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return std::nullopt;
}

std::string SetCookie::Serialize() const {
  std::string out = name + "=" + value;
  if (!path.empty()) out += "; Path=" + path;
  if (!domain.empty()) out += "; Domain=" + domain;
  if (max_age) out += "; Max-Age=" + std::to_string(*max_age);
  if (secure) out += "; Secure";
  if (http_only) out += "; HttpOnly";
  if (!same_site.empty()) out += "; SameSite=" + same_site;
  return out;
}

}  // namespace gatehouse::http
