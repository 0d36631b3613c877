#include "password-change-app/management_client.h"

#include <mutex>
#include <nlohmann/json.hpp>

#include "http/params.h"

namespace gatehouse::examples {
namespace {

using nlohmann::json;

class ManagementClientImpl final : public ManagementClient {
 public:
  ManagementClientImpl(ManagementClientOptions o, std::shared_ptr<http::OutboundClient> http)
      : options_(std::move(o)), http_(std::move(http)) {}

  Status SetPassword(const std::string& user_id, const std::string& password) override {
    // One retry with a fresh token: a cached one may have been revoked.
    for (int attempt = 0; attempt < 2; ++attempt) {
      GH_ASSIGN_OR_RETURN(std::string token, Token(/*refresh=*/attempt > 0));
      http::OutboundRequest req;
      req.method = "PATCH";
      req.url = options_.gatehouse_url + "/api/v2/users/" + http::UrlEncode(user_id);
      req.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
      req.body =
          json{{"password", password}, {"connection", "Username-Password-Authentication"}}.dump();
      auto res = http_->Fetch(req);
      if (!res.ok()) return Unavailable("management API: " + res.status().ToString());
      if (res->status == 200) return Status::Ok();
      if (res->status == 401 && attempt == 0) continue;
      const json body = json::parse(res->body, nullptr, false);
      const std::string message =
          body.is_object() && body.contains("message") && body["message"].is_string()
              ? body["message"].get<std::string>()
              : "HTTP " + std::to_string(res->status);
      if (res->status == 400) return InvalidArgument(message);
      if (res->status == 404) return NotFound(message);
      if (res->status == 401 || res->status == 403) return PermissionDenied(message);
      return Unavailable("management API: " + message);
    }
    return PermissionDenied("management API token refused");
  }

 private:
  Result<std::string> Token(bool refresh) {
    std::lock_guard lock(mu_);
    if (!refresh && !token_.empty() && options_.clock->NowSeconds() < token_expires_) {
      return token_;
    }
    http::OutboundRequest req;
    req.method = "POST";
    req.url = options_.gatehouse_url + "/oauth/token";
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.body = "grant_type=client_credentials&client_id=" + http::UrlEncode(options_.client_id) +
               "&client_secret=" + http::UrlEncode(options_.client_secret) +
               "&audience=" + http::UrlEncode(options_.gatehouse_url + "/api/v2/");
    auto res = http_->Fetch(req);
    if (!res.ok()) return Unavailable("token endpoint: " + res.status().ToString());
    const json body = json::parse(res->body, nullptr, false);
    if (res->status != 200 || !body.is_object() || !body["access_token"].is_string()) {
      if (res->status == 400 || res->status == 401 || res->status == 403) {
        return PermissionDenied("token endpoint refused the app's credentials");
      }
      return Unavailable("token endpoint: HTTP " + std::to_string(res->status));
    }
    token_ = body["access_token"].get<std::string>();
    const int64_t lifetime = body.value("expires_in", int64_t{60});
    token_expires_ = options_.clock->NowSeconds() + std::max<int64_t>(lifetime - 30, 0);
    return token_;
  }

  ManagementClientOptions options_;
  std::shared_ptr<http::OutboundClient> http_;
  std::mutex mu_;
  std::string token_;
  int64_t token_expires_ = 0;
};

}  // namespace

std::unique_ptr<ManagementClient> ManagementClient::Create(
    ManagementClientOptions options, std::shared_ptr<http::OutboundClient> http) {
  while (!options.gatehouse_url.empty() && options.gatehouse_url.back() == '/') {
    options.gatehouse_url.pop_back();
  }
  return std::make_unique<ManagementClientImpl>(std::move(options), std::move(http));
}

}  // namespace gatehouse::examples
