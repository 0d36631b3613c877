#include "storage/record_rule_repo.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <tuple>

namespace gatehouse::storage {
namespace {

constexpr char kRuleKind[] = "rule";
constexpr char kNameKind[] = "rule_name";
constexpr char kConfigKind[] = "rules_config";
constexpr int kPage = 200;
constexpr int kMaxRetries = 16;
constexpr int64_t kStaleClaimSeconds = 60;

std::string ToJson(const RuleRecord& r) {
  nlohmann::json j = {{"name", r.name},
                      {"script", r.script},
                      {"order", r.order},
                      {"enabled", r.enabled},
                      {"stage", r.stage},
                      {"created_at_ms", r.created_at_ms},
                      {"updated_at_ms", r.updated_at_ms}};
  return j.dump();
}

Result<RuleRecord> FromRecord(const Record& rec) {
  auto j = nlohmann::json::parse(rec.data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Internal("corrupt rule record " + rec.id);
  RuleRecord r;
  r.id = rec.id;
  r.name = j.value("name", "");
  r.script = j.value("script", "");
  r.order = j.value("order", 0);
  r.enabled = j.value("enabled", true);
  r.stage = j.value("stage", "login_success");
  r.created_at_ms = j.value("created_at_ms", int64_t{0});
  r.updated_at_ms = j.value("updated_at_ms", int64_t{0});
  r.version = rec.version;
  return r;
}

class RecordRuleRepo final : public RuleRepo {
 public:
  RecordRuleRepo(RecordRepo& records, Clock& clock)
      : records_(records), clock_(clock), rng_(std::random_device{}()) {}

  Result<RuleRecord> Create(const RuleRecord& rule) override {
    if (rule.name.empty()) return InvalidArgument("rule name is empty");
    RuleRecord r = rule;
    if (r.id.empty()) r.id = NewId();
    r.created_at_ms = r.updated_at_ms = NowMs();
    if (auto existing = records_.Get(kRuleKind, r.id); existing.ok()) {
      return AlreadyExists("rule id is taken");
    }
    GH_RETURN_IF_ERROR(ClaimName(r.name, r.id));
    auto rec = records_.Create(kRuleKind, r.id, ToJson(r), std::nullopt);
    if (!rec.ok()) {
      (void)records_.Delete(kNameKind, r.name);
      return rec.status();
    }
    return FromRecord(*rec);
  }

  Result<RuleRecord> Get(const std::string& id) override {
    GH_ASSIGN_OR_RETURN(auto rec, records_.Get(kRuleKind, id));
    return FromRecord(rec);
  }

  Result<std::vector<RuleRecord>> List() override {
    std::vector<RuleRecord> out;
    std::string after;
    while (true) {
      GH_ASSIGN_OR_RETURN(auto page, records_.List(kRuleKind, after, kPage));
      for (const auto& rec : page) {
        GH_ASSIGN_OR_RETURN(auto r, FromRecord(rec));
        out.push_back(std::move(r));
      }
      if (static_cast<int>(page.size()) < kPage) break;
      after = page.back().id;
    }
    std::sort(out.begin(), out.end(), [](const RuleRecord& a, const RuleRecord& b) {
      return std::tie(a.order, a.created_at_ms, a.id) < std::tie(b.order, b.created_at_ms, b.id);
    });
    return out;
  }

  Result<RuleRecord> Update(const RuleRecord& rule, int64_t expected_version) override {
    if (rule.name.empty()) return InvalidArgument("rule name is empty");
    GH_ASSIGN_OR_RETURN(auto current, Get(rule.id));
    if (current.version != expected_version) {
      return Conflict("rule is at version " + std::to_string(current.version));
    }
    const bool renamed = current.name != rule.name;
    if (renamed) GH_RETURN_IF_ERROR(ClaimName(rule.name, rule.id));
    RuleRecord r = rule;
    r.created_at_ms = current.created_at_ms;
    r.updated_at_ms = NowMs();
    auto rec = records_.CompareAndSet(kRuleKind, r.id, expected_version, ToJson(r), std::nullopt);
    if (!rec.ok()) {
      if (renamed) (void)records_.Delete(kNameKind, rule.name);
      return rec.status();
    }
    if (renamed) (void)records_.Delete(kNameKind, current.name);
    return FromRecord(*rec);
  }

  Status Delete(const std::string& id) override {
    GH_ASSIGN_OR_RETURN(auto current, Get(id));
    GH_RETURN_IF_ERROR(records_.DeleteIfVersion(kRuleKind, id, current.version));
    // Only drop the name record if it still points at this rule.
    if (auto name = records_.Get(kNameKind, current.name); name.ok() && name->data == id) {
      (void)records_.DeleteIfVersion(kNameKind, current.name, name->version);
    }
    return Status::Ok();
  }

  Status SetConfig(const std::string& key, const std::string& value) override {
    if (key.empty()) return InvalidArgument("rules config key is empty");
    for (int i = 0; i < kMaxRetries; ++i) {
      auto current = records_.Get(kConfigKind, key);
      if (current.ok()) {
        auto r = records_.CompareAndSet(kConfigKind, key, current->version, value, std::nullopt);
        if (r.ok()) return Status::Ok();
        if (r.status().code() != ErrorCode::kConflict &&
            r.status().code() != ErrorCode::kNotFound) {
          return r.status();
        }
      } else if (current.status().code() == ErrorCode::kNotFound) {
        auto r = records_.Create(kConfigKind, key, value, std::nullopt);
        if (r.ok()) return Status::Ok();
        if (r.status().code() != ErrorCode::kAlreadyExists) return r.status();
      } else {
        return current.status();
      }
    }
    return Unavailable("rules config key is contended: " + key);
  }

  Status DeleteConfig(const std::string& key) override {
    if (key.empty()) return InvalidArgument("rules config key is empty");
    GH_ASSIGN_OR_RETURN(auto current, records_.Get(kConfigKind, key));
    (void)current;
    return records_.Delete(kConfigKind, key);
  }

  Result<std::map<std::string, std::string>> AllConfig() override {
    std::map<std::string, std::string> out;
    std::string after;
    while (true) {
      GH_ASSIGN_OR_RETURN(auto page, records_.List(kConfigKind, after, kPage));
      for (auto& rec : page) out[rec.id] = rec.data;
      if (static_cast<int>(page.size()) < kPage) break;
      after = page.back().id;
    }
    return out;
  }

 private:
  // Claims `name` for rule `id`: AlreadyExists when another live rule holds it.
  Status ClaimName(const std::string& name, const std::string& id) {
    for (int i = 0; i < kMaxRetries; ++i) {
      auto created = records_.Create(kNameKind, name, id, std::nullopt);
      if (created.ok()) return Status::Ok();
      if (created.status().code() != ErrorCode::kAlreadyExists) return created.status();
      auto holder = records_.Get(kNameKind, name);
      if (!holder.ok()) {
        if (holder.status().code() == ErrorCode::kNotFound) continue;
        return holder.status();
      }
      if (holder->data == id) return Status::Ok();
      auto owner = Get(holder->data);
      if (!owner.ok() && owner.status().code() != ErrorCode::kNotFound) return owner.status();
      const bool points_away = !owner.ok() || owner->name != name;
      // A fresh claim whose rule write has not landed yet looks the same as
      // one left by a crash between the two writes: only reclaim stale ones.
      if (!points_away || holder->created_at + kStaleClaimSeconds > clock_.NowSeconds()) {
        return AlreadyExists("rule name is taken: " + name);
      }
      (void)records_.DeleteIfVersion(kNameKind, name, holder->version);
    }
    return Unavailable("rule name is contended: " + name);
  }

  std::string NewId() {
    uint64_t v;
    {
      std::lock_guard lock(mu_);
      v = rng_();
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "rul_%016llx", static_cast<unsigned long long>(v));
    return buf;
  }

  int64_t NowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
        .count();
  }

  RecordRepo& records_;
  Clock& clock_;
  std::mutex mu_;
  std::mt19937_64 rng_;  // ids are not secrets: uniqueness is all they need
};

}  // namespace

std::unique_ptr<RuleRepo> CreateRecordRuleRepo(RecordRepo& records, Clock& clock) {
  return std::make_unique<RecordRuleRepo>(records, clock);
}

}  // namespace gatehouse::storage
