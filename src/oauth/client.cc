#include "oauth/client.h"

#include <algorithm>

namespace gatehouse::oauth {

bool Client::AllowsGrant(std::string_view grant) const {
  return std::find(grant_types.begin(), grant_types.end(), grant) != grant_types.end();
}

nlohmann::json Client::ToJson() const {
  return {{"client_id", client_id},
          {"name", name},
          {"description", description},
          {"app_type", app_type},
          {"token_endpoint_auth_method", token_endpoint_auth_method},
          {"callbacks", callbacks},
          {"allowed_logout_urls", allowed_logout_urls},
          {"web_origins", web_origins},
          {"grant_types", grant_types},
          {"is_first_party", is_first_party},
          {"client_metadata", client_metadata}};
}

nlohmann::json Client::ToStoredJson() const {
  nlohmann::json j = ToJson();
  j["secret_hash"] = secret_hash;
  j["management_scopes"] = management_scopes;
  j["default_audience"] = default_audience;
  j["created_at_ms"] = created_at_ms;
  if (!id_token_signed_response_alg.empty()) {
    j["id_token_signed_response_alg"] = id_token_signed_response_alg;
  }
  return j;
}

Result<Client> Client::FromStoredJson(const nlohmann::json& j) {
  if (!j.is_object()) return InvalidArgument("client payload is not an object");
  Client c;
  try {
    c.client_id = j.at("client_id").get<std::string>();
    c.name = j.value("name", "");
    c.description = j.value("description", "");
    c.app_type = j.value("app_type", "regular_web");
    c.token_endpoint_auth_method = j.value("token_endpoint_auth_method", "client_secret_basic");
    c.secret_hash = j.value("secret_hash", "");
    c.callbacks = j.value("callbacks", std::vector<std::string>{});
    c.allowed_logout_urls = j.value("allowed_logout_urls", std::vector<std::string>{});
    c.web_origins = j.value("web_origins", std::vector<std::string>{});
    c.grant_types = j.value("grant_types", std::vector<std::string>{});
    c.is_first_party = j.value("is_first_party", true);
    c.client_metadata = j.value("client_metadata", nlohmann::json::object());
    c.management_scopes = j.value("management_scopes", std::vector<std::string>{});
    c.default_audience = j.value("default_audience", "");
    c.created_at_ms = j.value("created_at_ms", int64_t{0});
    c.id_token_signed_response_alg = j.value("id_token_signed_response_alg", "");
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("client payload: ") + e.what());
  }
  return c;
}

}  // namespace gatehouse::oauth
