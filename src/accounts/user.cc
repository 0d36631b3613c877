#include "accounts/user_service.h"
#include "core/iso_time.h"

namespace gatehouse::accounts {
namespace {

nlohmann::json ObjectOrEmpty(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

}  // namespace

nlohmann::json User::ToJson() const {
  const storage::UserRecord& r = record;
  // The identity's user_id is the part after the provider prefix ("auth0|").
  size_t bar = r.user_id.find('|');
  std::string provider = bar == std::string::npos ? "auth0" : r.user_id.substr(0, bar);
  std::string identity_id = bar == std::string::npos ? r.user_id : r.user_id.substr(bar + 1);
  // Upstream OIDC users are "oidc|<connection>|<sub>": the identity's id is the sub.
  if (provider == "oidc" && identity_id.rfind(r.connection + "|", 0) == 0) {
    identity_id = identity_id.substr(r.connection.size() + 1);
  }
  nlohmann::json j = {
      {"user_id", r.user_id},
      {"email", r.email},
      {"email_verified", r.email_verified},
      {"name", r.name},
      {"nickname", r.nickname},
      {"created_at", IsoTimeMs(r.created_at_ms)},
      {"updated_at", IsoTimeMs(r.updated_at_ms)},
      {"identities", nlohmann::json::array({{{"connection", r.connection},
                                             {"provider", provider},
                                             {"user_id", identity_id},
                                             {"isSocial", false}}})},
      {"user_metadata", ObjectOrEmpty(r.user_metadata)},
      {"app_metadata", ObjectOrEmpty(r.app_metadata)},
      {"logins_count", r.logins_count},
      {"blocked", r.blocked},
  };
  // Auth0 leaves out attributes a user does not have.
  if (!r.username.empty()) j["username"] = r.username;
  if (!r.given_name.empty()) j["given_name"] = r.given_name;
  if (!r.family_name.empty()) j["family_name"] = r.family_name;
  if (!r.picture.empty()) j["picture"] = r.picture;
  if (!r.last_ip.empty()) j["last_ip"] = r.last_ip;
  if (r.last_login_ms) j["last_login"] = IsoTimeMs(*r.last_login_ms);
  if (r.last_password_reset_ms) j["last_password_reset"] = IsoTimeMs(*r.last_password_reset_ms);
  return j;
}

}  // namespace gatehouse::accounts
