#include "accounts/login_attempts.h"

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "storage/user_repo.h"

namespace gatehouse::accounts {
namespace {

constexpr int kMaxCasRetries = 32;
constexpr size_t kMaxIpBytes = 64;

std::string HexSha256(std::string_view s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : crypto::Digest(crypto::Hash::kSha256, s)) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// Record ids are at most 256 bytes: an unusually long ip is hashed.
std::string IpPart(std::string_view ip) {
  if (ip.size() <= kMaxIpBytes) return std::string(ip);
  return "h" + HexSha256(ip);
}

// The user part is length-prefixed so one user's prefix never matches another
// user whose id merely starts with it.
std::string UserPrefix(std::string_view user_id) {
  return "user:" + std::to_string(user_id.size()) + ":" + std::string(user_id) + ":";
}

int64_t CountOf(const storage::Record& r) {
  auto j = nlohmann::json::parse(r.data, nullptr, false);
  if (!j.is_object() || !j.contains("count") || !j["count"].is_number_integer()) return 0;
  return j["count"].get<int64_t>();
}

std::string CountData(int64_t n) { return nlohmann::json{{"count", n}}.dump(); }

}  // namespace

std::string LoginAttempts::UserKey(std::string_view user_id, int64_t credentials_epoch,
                                   std::string_view ip) {
  return UserPrefix(user_id) + std::to_string(credentials_epoch) + ":" + IpPart(ip);
}

std::string LoginAttempts::IdentifierKey(std::string_view identifier, std::string_view ip) {
  return "id:" + HexSha256(storage::FoldCase(identifier)) + ":" + IpPart(ip);
}

Result<int64_t> LoginAttempts::Count(const std::string& key) {
  auto r = records_.Get(kRecordKind, key);
  if (!r.ok()) {
    if (r.status().code() == ErrorCode::kNotFound) return int64_t{0};
    return r.status();
  }
  return CountOf(*r);
}

Result<int64_t> LoginAttempts::Increment(const std::string& key) {
  for (int attempt = 0; attempt < kMaxCasRetries; ++attempt) {
    const int64_t expires = clock_.NowSeconds() + ttl_seconds_;
    auto r = records_.Get(kRecordKind, key);
    if (!r.ok()) {
      if (r.status().code() != ErrorCode::kNotFound) return r.status();
      auto created = records_.Create(kRecordKind, key, CountData(1), expires);
      if (created.ok()) return int64_t{1};
      if (created.status().code() != ErrorCode::kAlreadyExists) return created.status();
      continue;  // another failure created it first: count on top of it
    }
    const int64_t next = CountOf(*r) + 1;
    auto set = records_.CompareAndSet(kRecordKind, key, r->version, CountData(next), expires);
    if (set.ok()) return next;
    if (set.status().code() != ErrorCode::kConflict &&
        set.status().code() != ErrorCode::kNotFound) {
      return set.status();
    }
  }
  return Unavailable("failed-login counter stayed contended");
}

Status LoginAttempts::Clear(const std::string& key) { return records_.Delete(kRecordKind, key); }

Status LoginAttempts::ClearUser(std::string_view user_id) {
  const std::string prefix = UserPrefix(user_id);
  std::string after = prefix;  // every key of the user sorts after its bare prefix
  while (true) {
    GH_ASSIGN_OR_RETURN(auto page, records_.List(kRecordKind, after, 100));
    if (page.empty()) return Status::Ok();
    for (const auto& r : page) {
      if (r.id.compare(0, prefix.size(), prefix) != 0) return Status::Ok();
      GH_RETURN_IF_ERROR(records_.Delete(kRecordKind, r.id));
      after = r.id;
    }
  }
}

}  // namespace gatehouse::accounts
