#include "accounts/auth0_import.h"

#include <nlohmann/json.hpp>

#include "crypto/password_hash.h"

namespace gatehouse::accounts {
namespace {

constexpr size_t kMaxUserIdBytes = 128;

using nlohmann::json;

// The string member `key`, "" when absent; InvalidArgument when not a string.
Status ReadString(const json& j, const char* key, std::string& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return InvalidArgument(std::string(key) + " is not a string");
  out = it->get<std::string>();
  return Status::Ok();
}

Status ReadObject(const json& j, const char* key, json& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_object()) return InvalidArgument(std::string(key) + " is not an object");
  out = *it;
  return Status::Ok();
}

Result<std::string> ReadPasswordHash(const json& j) {
  std::string hash;
  GH_RETURN_IF_ERROR(ReadString(j, "password_hash", hash));
  auto custom = j.find("custom_password_hash");
  if (hash.empty() && custom != j.end() && !custom->is_null()) {
    if (!custom->is_object()) return InvalidArgument("custom_password_hash is not an object");
    std::string algorithm = custom->value("algorithm", "");
    if (algorithm != "bcrypt" && algorithm != "argon2") {
      return InvalidArgument("unsupported password hash algorithm");
    }
    auto h = custom->find("hash");
    if (h == custom->end() || !h->is_object() || !h->contains("value") ||
        !(*h)["value"].is_string()) {
      return InvalidArgument("custom_password_hash.hash.value is missing");
    }
    hash = (*h)["value"].get<std::string>();
  }
  if (!hash.empty() && !crypto::CheckPasswordHashFormat(hash).ok()) {
    return InvalidArgument("unsupported password hash");
  }
  return hash;
}

}  // namespace

Result<ImportedUser> ParseAuth0ExportLine(std::string_view line) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return InvalidArgument("not a JSON object");
  ImportedUser out;
  SignUpInput& in = out.input;
  GH_RETURN_IF_ERROR(ReadString(j, "email", in.email));
  if (in.email.empty()) return InvalidArgument("email is missing");
  auto verified = j.find("email_verified");
  if (verified != j.end() && !verified->is_null()) {
    if (!verified->is_boolean()) return InvalidArgument("email_verified is not a boolean");
    in.email_verified = verified->get<bool>();
  }
  GH_RETURN_IF_ERROR(ReadString(j, "user_id", out.user_id));
  if (out.user_id.size() > kMaxUserIdBytes) return InvalidArgument("user_id is too long");
  for (char c : out.user_id) {
    if (static_cast<unsigned char>(c) < 0x20) return InvalidArgument("user_id is invalid");
  }
  GH_RETURN_IF_ERROR(ReadString(j, "username", in.username));
  GH_RETURN_IF_ERROR(ReadString(j, "given_name", in.given_name));
  GH_RETURN_IF_ERROR(ReadString(j, "family_name", in.family_name));
  GH_RETURN_IF_ERROR(ReadString(j, "name", in.name));
  GH_RETURN_IF_ERROR(ReadString(j, "nickname", in.nickname));
  GH_RETURN_IF_ERROR(ReadString(j, "picture", in.picture));
  GH_RETURN_IF_ERROR(ReadObject(j, "user_metadata", in.user_metadata));
  GH_RETURN_IF_ERROR(ReadObject(j, "app_metadata", in.app_metadata));
  GH_ASSIGN_OR_RETURN(in.password_hash, ReadPasswordHash(j));
  return out;
}

}  // namespace gatehouse::accounts
