#include "storage/record_action_repo.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <tuple>

namespace gatehouse::storage {
namespace {

constexpr char kActionKind[] = "action";
constexpr char kNameKind[] = "action_name";
constexpr char kBindingsKind[] = "action_bindings";
constexpr int kPage = 200;
constexpr int kMaxRetries = 16;

nlohmann::json SecretsJson(const std::map<std::string, std::string>& secrets) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : secrets) j[k] = v;
  return j;
}

std::map<std::string, std::string> SecretsFrom(const nlohmann::json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

std::string ToJson(const ActionRecord& a) {
  return nlohmann::json{{"name", a.name},
                        {"code", a.code},
                        {"secrets", SecretsJson(a.secrets)},
                        {"runtime", a.runtime},
                        {"trigger", a.trigger},
                        {"deployed_code", a.deployed_code},
                        {"deployed_secrets", SecretsJson(a.deployed_secrets)},
                        {"deployed_version", a.deployed_version},
                        {"created_at_ms", a.created_at_ms},
                        {"updated_at_ms", a.updated_at_ms}}
      .dump();
}

Result<ActionRecord> FromRecord(const Record& rec) {
  auto j = nlohmann::json::parse(rec.data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Internal("corrupt action record " + rec.id);
  ActionRecord a;
  a.id = rec.id;
  a.name = j.value("name", "");
  a.code = j.value("code", "");
  a.secrets = SecretsFrom(j.value("secrets", nlohmann::json()));
  a.runtime = j.value("runtime", "node18");
  a.trigger = j.value("trigger", "post-login");
  a.deployed_code = j.value("deployed_code", "");
  a.deployed_secrets = SecretsFrom(j.value("deployed_secrets", nlohmann::json()));
  a.deployed_version = j.value("deployed_version", int64_t{0});
  a.created_at_ms = j.value("created_at_ms", int64_t{0});
  a.updated_at_ms = j.value("updated_at_ms", int64_t{0});
  a.version = rec.version;
  return a;
}

class RecordActionRepo final : public ActionRepo {
 public:
  RecordActionRepo(RecordRepo& records, Clock& clock)
      : records_(records), clock_(clock), rng_(std::random_device{}()) {}

  Result<ActionRecord> Create(const ActionRecord& action) override {
    if (action.name.empty()) return InvalidArgument("action name is empty");
    ActionRecord a = action;
    if (a.id.empty()) a.id = NewId();
    a.created_at_ms = a.updated_at_ms = NowMs();
    if (records_.Get(kActionKind, a.id).ok()) return AlreadyExists("action id is taken");
    GH_RETURN_IF_ERROR(ClaimName(a.name, a.id));
    auto rec = records_.Create(kActionKind, a.id, ToJson(a), std::nullopt);
    if (!rec.ok()) {
      (void)records_.Delete(kNameKind, a.name);
      return rec.status();
    }
    return FromRecord(*rec);
  }

  Result<ActionRecord> Get(const std::string& id) override {
    GH_ASSIGN_OR_RETURN(auto rec, records_.Get(kActionKind, id));
    return FromRecord(rec);
  }

  Result<std::vector<ActionRecord>> List() override {
    std::vector<ActionRecord> out;
    std::string after;
    while (true) {
      GH_ASSIGN_OR_RETURN(auto page, records_.List(kActionKind, after, kPage));
      for (const auto& rec : page) {
        GH_ASSIGN_OR_RETURN(auto a, FromRecord(rec));
        out.push_back(std::move(a));
      }
      if (static_cast<int>(page.size()) < kPage) break;
      after = page.back().id;
    }
    std::stable_sort(out.begin(), out.end(), [](const ActionRecord& x, const ActionRecord& y) {
      return std::tie(x.created_at_ms, x.id) < std::tie(y.created_at_ms, y.id);
    });
    return out;
  }

  Result<ActionRecord> Update(const ActionRecord& action, int64_t expected_version) override {
    if (action.name.empty()) return InvalidArgument("action name is empty");
    GH_ASSIGN_OR_RETURN(auto current, Get(action.id));
    if (current.version != expected_version) {
      return Conflict("action is at version " + std::to_string(current.version));
    }
    const bool renamed = current.name != action.name;
    if (renamed) GH_RETURN_IF_ERROR(ClaimName(action.name, action.id));
    ActionRecord a = action;
    a.created_at_ms = current.created_at_ms;
    a.updated_at_ms = NowMs();
    auto rec = records_.CompareAndSet(kActionKind, a.id, expected_version, ToJson(a), std::nullopt);
    if (!rec.ok()) {
      if (renamed) (void)records_.Delete(kNameKind, action.name);
      return rec.status();
    }
    if (renamed) (void)records_.Delete(kNameKind, current.name);
    return FromRecord(*rec);
  }

  Status Delete(const std::string& id) override {
    GH_ASSIGN_OR_RETURN(auto current, Get(id));
    GH_RETURN_IF_ERROR(records_.DeleteIfVersion(kActionKind, id, current.version));
    if (auto name = records_.Get(kNameKind, current.name); name.ok() && name->data == id) {
      (void)records_.DeleteIfVersion(kNameKind, current.name, name->version);
    }
    GH_ASSIGN_OR_RETURN(auto bound, Bindings(current.trigger));
    if (std::find(bound.begin(), bound.end(), id) != bound.end()) {
      bound.erase(std::remove(bound.begin(), bound.end(), id), bound.end());
      GH_RETURN_IF_ERROR(SetBindings(current.trigger, bound));
    }
    return Status::Ok();
  }

  Result<std::vector<std::string>> Bindings(const std::string& trigger) override {
    auto rec = records_.Get(kBindingsKind, trigger);
    if (!rec.ok()) {
      if (rec.status().code() == ErrorCode::kNotFound) return std::vector<std::string>{};
      return rec.status();
    }
    auto j = nlohmann::json::parse(rec->data, nullptr, false);
    if (!j.is_array()) return Internal("corrupt bindings record " + trigger);
    std::vector<std::string> ids;
    for (const auto& id : j) {
      if (id.is_string()) ids.push_back(id.get<std::string>());
    }
    return ids;
  }

  Status SetBindings(const std::string& trigger, const std::vector<std::string>& ids) override {
    if (trigger.empty()) return InvalidArgument("trigger is empty");
    std::string data = nlohmann::json(ids).dump();
    for (int i = 0; i < kMaxRetries; ++i) {
      auto current = records_.Get(kBindingsKind, trigger);
      Status status;
      if (current.ok()) {
        auto r =
            records_.CompareAndSet(kBindingsKind, trigger, current->version, data, std::nullopt);
        status = r.ok() ? Status::Ok() : r.status();
      } else if (current.status().code() == ErrorCode::kNotFound) {
        auto r = records_.Create(kBindingsKind, trigger, data, std::nullopt);
        status = r.ok() ? Status::Ok() : r.status();
      } else {
        return current.status();
      }
      if (status.ok()) return status;
      if (status.code() != ErrorCode::kConflict && status.code() != ErrorCode::kNotFound &&
          status.code() != ErrorCode::kAlreadyExists) {
        return status;
      }
    }
    return Conflict("bindings kept changing");
  }

 private:
  Status ClaimName(const std::string& name, const std::string& id) {
    auto claimed = records_.Create(kNameKind, name, id, std::nullopt);
    if (claimed.ok()) return Status::Ok();
    if (claimed.status().code() != ErrorCode::kAlreadyExists) return claimed.status();
    // A claim whose action is gone (a crash between the two writes) is reclaimed.
    auto existing = records_.Get(kNameKind, name);
    if (existing.ok()) {
      auto owner = Get(existing->data);
      if (!owner.ok() && owner.status().code() == ErrorCode::kNotFound &&
          records_.DeleteIfVersion(kNameKind, name, existing->version).ok() &&
          records_.Create(kNameKind, name, id, std::nullopt).ok()) {
        return Status::Ok();
      }
    }
    return AlreadyExists("an action named \"" + name + "\" already exists");
  }

  int64_t NowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
        .count();
  }

  std::string NewId() {
    std::lock_guard lock(mu_);
    char buf[24];
    std::snprintf(buf, sizeof buf, "act_%016llx", static_cast<unsigned long long>(rng_()));
    return buf;
  }

  RecordRepo& records_;
  Clock& clock_;
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<ActionRepo> CreateRecordActionRepo(RecordRepo& records, Clock& clock) {
  return std::make_unique<RecordActionRepo>(records, clock);
}

}  // namespace gatehouse::storage
