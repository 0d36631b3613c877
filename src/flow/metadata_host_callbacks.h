#pragma once
// auth0.users.updateUserMetadata / updateAppMetadata for rules: the same
// UserService::UpdateMetadata code path as PATCH /api/v2/users/{id}
// (SPEC §4.3, §5.2).

#include "accounts/user_service.h"
#include "rules/host_callbacks.h"

namespace gatehouse::flow {

// Thread-safe. Runs the update synchronously on the calling rules worker (one
// storage write with CAS retry) and then calls `done`.
class MetadataHostCallbacks final : public rules::HostCallbacks {
 public:
  explicit MetadataHostCallbacks(accounts::UserService& users) : users_(users) {}
  void UpdateUserMetadata(const std::string& user_id, const nlohmann::json& patch,
                          std::function<void(Status)> done) override;
  void UpdateAppMetadata(const std::string& user_id, const nlohmann::json& patch,
                         std::function<void(Status)> done) override;

 private:
  accounts::UserService& users_;
};

}  // namespace gatehouse::flow
