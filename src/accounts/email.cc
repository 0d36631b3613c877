#include "accounts/email.h"

#include "storage/user_repo.h"

namespace gatehouse::accounts {
namespace {

constexpr size_t kMaxEmailBytes = 254;  // RFC 5321 path limit

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

Result<std::string> NormalizeEmail(std::string_view email) {
  const Status invalid = InvalidArgument("Invalid email address.");
  email = TrimSpace(email);
  if (email.empty() || email.size() > kMaxEmailBytes) return invalid;
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) return invalid;
  if (email.find('@', at + 1) != std::string_view::npos) return invalid;
  for (char c : email) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return invalid;
  }
  std::string_view domain = email.substr(at + 1);
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return invalid;
  }
  return storage::FoldCase(email);
}

}  // namespace gatehouse::accounts
