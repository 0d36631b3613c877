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

namespace gatehouse::flow {

void MetadataHostCallbacks::Fetch(const rules::FetchRequest& request,
                                  std::function<void(Result<rules::FetchResponse>)> done) {
  if (outbound_ == nullptr) return rules::HostCallbacks::Fetch(request, std::move(done));
  http::OutboundRequest out;
  out.method = request.method;
  out.url = request.url;
  out.headers = request.headers;
  out.body = request.body;
  out.timeout = request.timeout;
  auto response = outbound_->Fetch(out);
  if (!response.ok()) return done(response.status());
  done(rules::FetchResponse{.status = response->status,
                            .headers = std::move(response->headers),
                            .body = std::move(response->body),
                            .url = std::move(response->url)});
}

}  // namespace gatehouse::flow
