#include "accounts/password_policy.h"

#include <string>

#include "storage/user_repo.h"

namespace gatehouse::accounts {
namespace {

// Code points, counting every byte that does not continue a UTF-8 sequence.
int CodePoints(std::string_view s) {
  int n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

Status CheckPassword(const PasswordPolicy& policy, std::string_view password,
                     std::string_view email) {
  if (password.size() > static_cast<size_t>(policy.max_length)) {
    return InvalidArgument("Password is too long (at most " + std::to_string(policy.max_length) +
                           " characters).");
  }
  if (CodePoints(password) < policy.min_length) {
    return InvalidArgument("Password is too short (at least " + std::to_string(policy.min_length) +
                           " characters).");
  }
  if (!email.empty() && storage::FoldCase(password) == storage::FoldCase(email)) {
    return InvalidArgument("Password must not be the same as the email address.");
  }
  return Status::Ok();
}

}  // namespace gatehouse::accounts
