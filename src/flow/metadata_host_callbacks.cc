#include "flow/metadata_host_callbacks.h"

namespace gatehouse::flow {

void MetadataHostCallbacks::UpdateUserMetadata(const std::string& user_id,
                                               const nlohmann::json& patch,
                                               std::function<void(Status)> done) {
  auto updated = users_.UpdateMetadata(user_id, patch, nullptr);
  done(updated.ok() ? Status::Ok() : updated.status());
}

void MetadataHostCallbacks::UpdateAppMetadata(const std::string& user_id,
                                              const nlohmann::json& patch,
                                              std::function<void(Status)> done) {
  auto updated = users_.UpdateMetadata(user_id, nullptr, patch);
  done(updated.ok() ? Status::Ok() : updated.status());
}

}  // namespace gatehouse::flow
