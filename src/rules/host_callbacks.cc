#include "rules/host_callbacks.h"

namespace gatehouse::rules {

void RecordingHostCallbacks::UpdateUserMetadata(const std::string& user_id,
                                                const nlohmann::json& patch,
                                                std::function<void(Status)> done) {
  calls_.push_back({"user_metadata", user_id, patch});
  done(Status::Ok());
}

void RecordingHostCallbacks::UpdateAppMetadata(const std::string& user_id,
                                               const nlohmann::json& patch,
                                               std::function<void(Status)> done) {
  calls_.push_back({"app_metadata", user_id, patch});
  done(Status::Ok());
}

}  // namespace gatehouse::rules
