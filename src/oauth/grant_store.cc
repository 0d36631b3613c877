#include "oauth/grant_store.h"

#include <algorithm>

#include "oauth/token_hash.h"

namespace gatehouse::oauth {
namespace {

nlohmann::json GrantToJson(const Grant& g) {
  return {{"client_id", g.client_id},
          {"user_id", g.user_id},
          {"scope", g.scope},
          {"audience", g.audience},
          {"issuer", g.issuer},
          {"session_id", g.session_id},
          {"auth_time", g.auth_time},
          {"credentials_epoch", g.credentials_epoch},
          {"refresh_expires_at", g.refresh_expires_at},
          {"revoked", g.revoked}};
}

Result<Grant> GrantFromRecord(const storage::Record& rec) {
  auto j = nlohmann::json::parse(rec.data, nullptr, false);
  if (!j.is_object()) return Internal("grant record is not a JSON object");
  Grant g;
  try {
    g.id = rec.id;
    g.client_id = j.at("client_id").get<std::string>();
    g.user_id = j.at("user_id").get<std::string>();
    g.scope = j.value("scope", "");
    g.audience = j.value("audience", "");
    g.issuer = j.value("issuer", "");
    g.session_id = j.value("session_id", "");
    g.auth_time = j.value("auth_time", int64_t{0});
    g.credentials_epoch = j.value("credentials_epoch", int64_t{0});
    g.refresh_expires_at = j.value("refresh_expires_at", int64_t{0});
    g.revoked = j.value("revoked", true);
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("grant record: ") + e.what());
  }
  g.version = rec.version;
  return g;
}

}  // namespace

GrantStore::GrantStore(storage::RecordRepo& records, Clock& clock, Random& random,
                       GrantLifetimes lifetimes)
    : records_(records), clock_(clock), random_(random), lifetimes_(lifetimes) {}

Result<Grant> GrantStore::Create(Grant grant) {
  const int64_t now = clock_.NowSeconds();
  grant.id = random_.Hex(16);
  grant.revoked = false;
  grant.refresh_expires_at = now + lifetimes_.refresh_absolute_seconds;
  const int64_t expires = std::max(grant.refresh_expires_at, now) + lifetimes_.access_token_seconds;
  GH_ASSIGN_OR_RETURN(auto rec,
                      records_.Create(kGrantKind, grant.id, GrantToJson(grant).dump(), expires));
  grant.version = rec.version;
  return grant;
}

Result<Grant> GrantStore::Get(const std::string& id) {
  if (id.empty()) return NotFound("no grant");
  GH_ASSIGN_OR_RETURN(auto rec, records_.Get(kGrantKind, id));
  return GrantFromRecord(rec);
}

Status GrantStore::Revoke(const std::string& id) {
  for (;;) {
    auto rec = records_.Get(kGrantKind, id);
    if (!rec.ok()) return rec.status().code() == ErrorCode::kNotFound ? Status::Ok() : rec.status();
    GH_ASSIGN_OR_RETURN(Grant g, GrantFromRecord(*rec));
    if (g.revoked) return Status::Ok();
    g.revoked = true;
    auto cas = records_.CompareAndSet(kGrantKind, id, rec->version, GrantToJson(g).dump(),
                                      rec->expires_at);
    if (cas.ok() || cas.status().code() == ErrorCode::kNotFound) return Status::Ok();
    if (cas.status().code() != ErrorCode::kConflict) return cas.status();
  }
}

Result<std::string> GrantStore::IssueRefreshToken(const Grant& grant) {
  std::string token = random_.Token(32);
  const int64_t expires =
      std::min(clock_.NowSeconds() + lifetimes_.refresh_idle_seconds, grant.refresh_expires_at);
  nlohmann::json data = {{"grant_id", grant.id}, {"used", false}};
  GH_RETURN_IF_ERROR(
      records_.Create(kRefreshTokenKind, HashToken(token), data.dump(), expires).status());
  return token;
}

Result<RefreshTokenUse> GrantStore::FindForUse(const std::string& token) {
  if (token.empty() || token.size() > 512) return Unauthenticated("malformed refresh token");
  RefreshTokenUse use;
  use.token_hash = HashToken(token);
  auto rec = records_.Get(kRefreshTokenKind, use.token_hash);
  if (!rec.ok()) {
    if (rec.status().code() == ErrorCode::kNotFound) {
      return Unauthenticated("unknown or expired refresh token");
    }
    return rec.status();
  }
  auto data = nlohmann::json::parse(rec->data, nullptr, false);
  if (!data.is_object() || !data.contains("grant_id") || !data["grant_id"].is_string()) {
    return Internal("refresh token record is malformed");
  }
  const std::string grant_id = data["grant_id"];
  if (data.value("used", true)) {
    GH_RETURN_IF_ERROR(Revoke(grant_id));
    return Unauthenticated("refresh token reused: family " + grant_id + " revoked");
  }
  auto grant = Get(grant_id);
  if (!grant.ok()) {
    if (grant.status().code() == ErrorCode::kNotFound) {
      return Unauthenticated("refresh token family expired");
    }
    return grant.status();
  }
  if (grant->revoked) return Unauthenticated("refresh token family revoked");
  if (clock_.NowSeconds() >= grant->refresh_expires_at) {
    return Unauthenticated("refresh token family past its absolute lifetime");
  }
  use.grant = std::move(*grant);
  use.version = rec->version;
  return use;
}

Status GrantStore::MarkUsed(const RefreshTokenUse& use) {
  nlohmann::json data = {{"grant_id", use.grant.id}, {"used", true}};
  // The used marker keeps the token's own expiry so a replay within it is seen.
  auto rec = records_.Get(kRefreshTokenKind, use.token_hash);
  std::optional<int64_t> expires = rec.ok() ? rec->expires_at : std::nullopt;
  auto cas =
      records_.CompareAndSet(kRefreshTokenKind, use.token_hash, use.version, data.dump(), expires);
  if (cas.ok()) return Status::Ok();
  if (cas.status().code() == ErrorCode::kConflict || cas.status().code() == ErrorCode::kNotFound) {
    GH_RETURN_IF_ERROR(Revoke(use.grant.id));
    return Unauthenticated("refresh token used concurrently: family revoked");
  }
  return cas.status();
}

Result<Grant> GrantStore::GrantOfRefreshToken(const std::string& token) {
  if (token.empty() || token.size() > 512) return NotFound("not a refresh token");
  GH_ASSIGN_OR_RETURN(auto rec, records_.Get(kRefreshTokenKind, HashToken(token)));
  auto data = nlohmann::json::parse(rec.data, nullptr, false);
  if (!data.is_object() || !data.contains("grant_id") || !data["grant_id"].is_string()) {
    return Internal("refresh token record is malformed");
  }
  return Get(data["grant_id"].get<std::string>());
}

}  // namespace gatehouse::oauth
