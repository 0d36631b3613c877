#include "rules/host_callbacks.h"

namespace gatehouse::rules {

void HostCallbacks::Fetch(const FetchRequest& request,
                          std::function<void(Result<FetchResponse>)> done) {
  done(PermissionDenied("outbound HTTP is not available here (" + request.method + " " +
                        request.url + ")"));
}

void RecordingHostCallbacks::Fetch(const FetchRequest& request,
                                   std::function<void(Result<FetchResponse>)> done) {
  fetches_.push_back(request);
  if (canned_) {
    FetchResponse response = *canned_;
    if (response.url.empty()) response.url = request.url;
    done(std::move(response));
    return;
  }
  done(Unavailable("outbound calls are recorded, not made, in a dry run (" + request.method + " " +
                   request.url + ")"));
}

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
