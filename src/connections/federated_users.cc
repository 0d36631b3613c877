#include "connections/federated_users.h"

namespace gatehouse::connections {
namespace {

using nlohmann::json;

constexpr const char* kIdentitiesKind = "user_identities";
constexpr const char* kLinkKind = "identity_link";
constexpr int kRetries = 5;

std::string ClaimString(const json& claims, const std::string& name) {
  if (!claims.contains(name)) return "";
  const json& v = claims[name];
  if (v.is_string()) return v.get<std::string>();
  return "";
}

// Limits of the user record: long upstream values are cut, not refused.
std::string Cap(std::string s, size_t max = 256) {
  if (s.size() > max) s.resize(max);
  return s;
}

void ApplyProfile(const MappedProfile& p, storage::UserRecord& r) {
  r.email = p.email;
  r.email_verified = p.email_verified;
  r.given_name = p.given_name;
  r.family_name = p.family_name;
  r.name = p.name;
  r.nickname = p.nickname;
  r.picture = p.picture;
}

}  // namespace

MappedProfile MapProfile(const Connection& c, const json& claims) {
  auto claim_for = [&](const std::string& attr) {
    auto it = c.claim_mapping.find(attr);
    return it == c.claim_mapping.end() ? attr : it->second;
  };
  MappedProfile p;
  p.email = Cap(ClaimString(claims, claim_for("email")));
  p.given_name = Cap(ClaimString(claims, claim_for("given_name")));
  p.family_name = Cap(ClaimString(claims, claim_for("family_name")));
  p.name = Cap(ClaimString(claims, claim_for("name")));
  p.nickname = Cap(ClaimString(claims, claim_for("nickname")));
  p.picture = Cap(ClaimString(claims, claim_for("picture")), 2048);
  std::string ev = claim_for("email_verified");
  if (claims.contains(ev)) {
    // Some providers send "true" as a string.
    p.email_verified = claims[ev].is_boolean() ? claims[ev].get<bool>() : claims[ev] == "true";
  }
  // Auth0's defaults when the provider leaves them out.
  if (p.name.empty()) {
    p.name = !p.given_name.empty() || !p.family_name.empty()
                 ? p.given_name + (p.given_name.empty() || p.family_name.empty() ? "" : " ") +
                       p.family_name
                 : p.email;
  }
  if (p.nickname.empty()) p.nickname = p.email.substr(0, p.email.find('@'));
  return p;
}

std::string FederatedUserId(const std::string& connection, const std::string& sub) {
  return std::string(kStrategy) + "|" + connection + "|" + sub;
}

FederatedUsers::FederatedUsers(storage::Storage& storage) : storage_(storage) {}

Status FederatedUsers::PutIdentity(const std::string& user_id, const json& identity) {
  storage::RecordRepo& records = storage_.records();
  for (int attempt = 0; attempt < kRetries; ++attempt) {
    auto current = records.Get(kIdentitiesKind, user_id);
    if (!current.ok() && current.status().code() != ErrorCode::kNotFound) return current.status();
    json list = json::array();
    if (current.ok()) {
      json parsed = json::parse(current->data, nullptr, false);
      if (parsed.is_array()) list = std::move(parsed);
    }
    bool replaced = false;
    for (auto& entry : list) {
      if (entry.value("connection", "") == identity["connection"] &&
          entry.value("user_id", "") == identity["user_id"]) {
        entry = identity;
        replaced = true;
      }
    }
    if (!replaced) list.push_back(identity);
    Status written =
        current.ok() ? records
                           .CompareAndSet(kIdentitiesKind, user_id, current->version, list.dump(),
                                          std::nullopt)
                           .status()
                     : records.Create(kIdentitiesKind, user_id, list.dump(), std::nullopt).status();
    if (written.ok()) return written;
    if (written.code() != ErrorCode::kConflict && written.code() != ErrorCode::kAlreadyExists) {
      return written;
    }
  }
  return Unavailable("identity list kept changing");
}

Result<FederatedLogin> FederatedUsers::SignIn(const Connection& c, const json& claims,
                                              const std::string& ip) {
  const std::string sub = claims.at("sub").get<std::string>();
  const std::string identity_id = FederatedUserId(c.name, sub);
  MappedProfile profile = MapProfile(c, claims);
  storage::UserRepo& users = storage_.users();
  storage::RecordRepo& records = storage_.records();
  FederatedLogin out;

  // 1. An identity linked earlier to a database user.
  std::string user_id;
  if (auto link = records.Get(kLinkKind, identity_id); link.ok()) {
    json data = json::parse(link->data, nullptr, false);
    std::string target = data.is_object() ? data.value("user_id", "") : "";
    if (!target.empty() && users.Get(target).ok()) {
      user_id = target;
      out.linked = true;
    } else {
      (void)records.Delete(kLinkKind, identity_id);  // its user was deleted
    }
  } else if (link.status().code() != ErrorCode::kNotFound) {
    return link.status();
  }

  // 2. The connection's own user.
  if (user_id.empty()) {
    auto existing = users.Get(identity_id);
    if (existing.ok()) {
      user_id = identity_id;
    } else if (existing.status().code() != ErrorCode::kNotFound) {
      return existing.status();
    }
  }

  // A blocked user is refused before anything about it changes.
  if (!user_id.empty()) {
    GH_ASSIGN_OR_RETURN(storage::UserRecord existing, users.Get(user_id));
    if (existing.blocked) return PermissionDenied("This user is blocked.");
  }

  // 3. First login: link by verified email (opt-in), else create.
  if (user_id.empty()) {
    if (profile.email.empty()) {
      return InvalidArgument("The identity provider did not share an email address.");
    }
    if (c.link_by_verified_email && profile.email_verified) {
      auto match = users.GetByEmail(accounts::kDatabaseConnection, profile.email);
      if (match.ok() && match->email_verified && !match->blocked) {
        auto created = records.Create(kLinkKind, identity_id,
                                      json{{"user_id", match->user_id}}.dump(), std::nullopt);
        if (created.ok() || created.status().code() == ErrorCode::kAlreadyExists) {
          user_id = match->user_id;
          out.linked = true;
        } else {
          return created.status();
        }
      } else if (!match.ok() && match.status().code() != ErrorCode::kNotFound) {
        return match.status();
      }
    }
  }
  if (user_id.empty()) {
    storage::UserRecord r;
    r.user_id = identity_id;
    r.connection = c.name;
    ApplyProfile(profile, r);
    auto created = users.Create(r);
    if (created.ok()) {
      out.created = true;
    } else if (created.status().code() != ErrorCode::kAlreadyExists ||
               !users.Get(identity_id).ok()) {
      // AlreadyExists for another user id: the email is taken in this connection.
      return created.status();
    }
    user_id = identity_id;
  }

  // Refresh the profile of the connection's own user (a linked database user
  // keeps its own profile: the upstream's lives in profileData).
  if (!out.linked && !out.created) {
    for (int attempt = 0;; ++attempt) {
      GH_ASSIGN_OR_RETURN(storage::UserRecord current, users.Get(user_id));
      storage::UserRecord next = current;
      ApplyProfile(profile, next);
      if (next.email.empty()) next.email = current.email;
      auto updated = users.Update(next, current.version);
      if (updated.ok()) break;
      if (updated.status().code() != ErrorCode::kConflict || attempt + 1 >= kRetries) {
        return updated.status();
      }
    }
  }

  GH_ASSIGN_OR_RETURN(storage::UserRecord stored, users.Get(user_id));
  if (stored.blocked) return PermissionDenied("This user is blocked.");

  json profile_data = claims;
  for (const char* registered : {"iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash",
                                 "c_hash", "auth_time", "sid", "jti"}) {
    profile_data.erase(registered);
  }
  json identity = {{"provider", kStrategy},
                   {"connection", c.name},
                   {"user_id", sub},
                   {"isSocial", c.is_social},
                   {"profileData", profile_data}};
  GH_RETURN_IF_ERROR(PutIdentity(user_id, identity));

  GH_ASSIGN_OR_RETURN(storage::UserRecord logged_in, users.RecordLogin(user_id, ip));
  out.user = accounts::User{logged_in};
  out.user_json = out.user.ToJson();
  AttachIdentities(out.user_json);
  return out;
}

void FederatedUsers::AttachIdentities(json& user_json) {
  if (!user_json.is_object() || !user_json.contains("user_id")) return;
  auto stored = storage_.records().Get(kIdentitiesKind, user_json["user_id"].get<std::string>());
  if (!stored.ok()) return;
  json list = json::parse(stored->data, nullptr, false);
  if (!list.is_array()) return;
  json& identities = user_json["identities"];
  if (!identities.is_array()) identities = json::array();
  for (const auto& entry : list) {
    bool merged = false;
    for (auto& have : identities) {
      if (have.value("connection", "") == entry.value("connection", "") &&
          have.value("user_id", "") == entry.value("user_id", "")) {
        have = entry;
        merged = true;
      }
    }
    if (!merged) identities.push_back(entry);
  }
}

}  // namespace gatehouse::connections
