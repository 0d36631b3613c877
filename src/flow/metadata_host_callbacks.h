#pragma once
// What rules reach through the host in the server: auth0.users.updateUserMetadata
// / updateAppMetadata, the same UserService::UpdateMetadata code path as
// PATCH /api/v2/users/{id} (SPEC §4.3, §5.2), and fetch / request / axios
// through the rules' OutboundClient (docs/outbound.md).

#include "accounts/user_service.h"
#include "http/outbound.h"
#include "rules/host_callbacks.h"

namespace gatehouse::flow {

// Thread-safe. Runs each call synchronously on the calling rules worker (one
// storage write with CAS retry, or one outbound exchange bounded by the
// request's timeout, which the engine has cut to the pipeline's remaining
// budget) and then calls `done`.
class MetadataHostCallbacks final : public rules::HostCallbacks {
 public:
  // `outbound` may be null: rules' outbound calls are then refused. It must
  // outlive this object.
  explicit MetadataHostCallbacks(accounts::UserService& users,
                                 http::OutboundClient* outbound = nullptr)
      : users_(users), outbound_(outbound) {}
  void UpdateUserMetadata(const std::string& user_id, const nlohmann::json& patch,
                          std::function<void(Status)> done) override;
  void UpdateAppMetadata(const std::string& user_id, const nlohmann::json& patch,
                         std::function<void(Status)> done) override;
  void Fetch(const rules::FetchRequest& request,
             std::function<void(Result<rules::FetchResponse>)> done) override;

 private:
  accounts::UserService& users_;
  http::OutboundClient* outbound_;
};

}  // namespace gatehouse::flow
