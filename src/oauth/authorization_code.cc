#include "oauth/authorization_code.h"

#include "oauth/code_record.h"
#include "oauth/token_hash.h"

namespace gatehouse::oauth {

nlohmann::json CodeGrant::ToJson() const {
  return {{"client_id", client_id},
          {"user_id", user_id},
          {"redirect_uri", redirect_uri},
          {"scope", scope},
          {"audience", audience},
          {"nonce", nonce},
          {"auth_time", auth_time},
          {"code_challenge", code_challenge},
          {"code_challenge_method", code_challenge_method},
          {"session_id", session_id},
          {"issuer", issuer},
          {"amr", amr},
          {"id_token_claims", id_token_claims},
          {"access_token_claims", access_token_claims},
          {"user", user}};
}

Result<CodeGrant> CodeGrant::FromJson(const nlohmann::json& j) {
  if (!j.is_object()) return InvalidArgument("code grant is not an object");
  CodeGrant g;
  try {
    g.client_id = j.at("client_id").get<std::string>();
    g.user_id = j.at("user_id").get<std::string>();
    g.redirect_uri = j.value("redirect_uri", "");
    g.scope = j.value("scope", "");
    g.audience = j.value("audience", "");
    g.nonce = j.value("nonce", "");
    g.auth_time = j.value("auth_time", int64_t{0});
    g.code_challenge = j.value("code_challenge", "");
    g.code_challenge_method = j.value("code_challenge_method", "");
    g.session_id = j.value("session_id", "");
    g.issuer = j.value("issuer", "");
    g.amr = j.value("amr", nlohmann::json::array());
    g.id_token_claims = j.value("id_token_claims", nlohmann::json::object());
    g.access_token_claims = j.value("access_token_claims", nlohmann::json::object());
    g.user = j.value("user", nlohmann::json::object());
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("code grant: ") + e.what());
  }
  return g;
}

Result<std::string> IssueAuthorizationCode(storage::Storage& storage, Random& random, Clock& clock,
                                           const CodeGrant& grant) {
  std::string code = random.Token(32);
  GH_RETURN_IF_ERROR(storage.records()
                         .Create(kCodeKind, HashToken(code), grant.ToJson().dump(),
                                 clock.NowSeconds() + kCodeLifetimeSeconds)
                         .status());
  return code;
}

}  // namespace gatehouse::oauth
