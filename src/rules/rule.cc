#include "rules/rule.h"

namespace gatehouse::rules {

Status ValidateRuleName(const std::string& name) {
  if (name.empty()) return InvalidArgument("rule name is empty");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ' ' || c == '-';
    if (!ok) return InvalidArgument("rule name may hold only letters, digits, spaces and '-'");
  }
  auto edge = [](char c) { return c == ' ' || c == '-'; };
  if (edge(name.front()) || edge(name.back())) {
    return InvalidArgument("rule name may not start or end with a space or '-'");
  }
  return Status::Ok();
}

}  // namespace gatehouse::rules
