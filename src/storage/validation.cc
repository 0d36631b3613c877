#include "storage/validation.h"

#include <string>

namespace gatehouse::storage {
namespace {
bool HasNul(std::string_view s) { return s.find('\0') != std::string_view::npos; }
}  // namespace

Status ValidateKind(std::string_view kind) {
  if (kind.empty() || kind.size() > kMaxKindBytes) {
    return InvalidArgument("record kind must be 1..64 characters");
  }
  for (char c : kind) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return InvalidArgument("record kind must match [a-z0-9_]");
  }
  return Status::Ok();
}

Status ValidateId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) {
    return InvalidArgument("record id must be 1..256 bytes, got " + std::to_string(id.size()));
  }
  if (HasNul(id)) return InvalidArgument("record id must not contain NUL");
  return Status::Ok();
}

Status ValidateData(std::string_view data) {
  if (data.size() > kMaxDataBytes) {
    return InvalidArgument("record data over 1 MiB: " + std::to_string(data.size()) + " bytes");
  }
  return Status::Ok();
}

Status ValidateSecretName(std::string_view name) {
  if (name.empty() || name.size() > kMaxSecretNameBytes || HasNul(name)) {
    return InvalidArgument("secret name must be 1..256 bytes without NUL");
  }
  return Status::Ok();
}

Status ValidateKeyStatus(std::string_view status) {
  if (status == "active" || status == "retired" || status == "revoked") return Status::Ok();
  return InvalidArgument("signing key status must be active, retired or revoked");
}

Status ValidateKid(std::string_view kid) {
  if (kid.empty() || kid.size() > kMaxIdBytes || HasNul(kid)) {
    return InvalidArgument("kid must be 1..256 bytes without NUL");
  }
  return Status::Ok();
}

}  // namespace gatehouse::storage
