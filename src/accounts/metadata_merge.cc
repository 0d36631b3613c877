#include "accounts/metadata_merge.h"

namespace gatehouse::accounts {

Status ValidateMetadataPatch(const nlohmann::json& patch) {
  if (!patch.is_object()) return InvalidArgument("metadata must be a JSON object");
  for (const auto& [key, value] : patch.items()) {
    if (key.empty()) return InvalidArgument("metadata keys must not be empty");
    if (key.find('.') != std::string::npos || key.find('$') != std::string::npos)
      return InvalidArgument("metadata keys must not contain '.' or '$': " + key);
  }
  return Status::Ok();
}

nlohmann::json MergeMetadata(const nlohmann::json& stored, const nlohmann::json& patch) {
  nlohmann::json out = stored.is_object() ? stored : nlohmann::json::object();
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      out.erase(key);
    } else {
      out[key] = value;
    }
  }
  return out;
}

}  // namespace gatehouse::accounts
