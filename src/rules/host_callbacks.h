#pragma once
// What rules may ask the host to do. The rules module never touches storage
// itself: the flow module implements this with Management-API merge semantics
// (SPEC §5.2).

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::rules {

class HostCallbacks {
 public:
  virtual ~HostCallbacks() = default;
  // Merges `patch` into the user's user_metadata / app_metadata. Called on a
  // rules worker thread; must not block for long. `done` may be called from any
  // thread, synchronously or later, exactly once; a non-ok Status rejects the
  // rule's Promise with its message. Calls after the execution ended are
  // dropped by the engine.
  virtual void UpdateUserMetadata(const std::string& user_id, const nlohmann::json& patch,
                                  std::function<void(Status)> done) = 0;
  virtual void UpdateAppMetadata(const std::string& user_id, const nlohmann::json& patch,
                                 std::function<void(Status)> done) = 0;
};

// Accepts every update and stores nothing (tests, `gatehouse rules test`).
// Records the calls so a caller can show them.
class RecordingHostCallbacks : public HostCallbacks {
 public:
  struct Call {
    std::string kind;  // "user_metadata" | "app_metadata"
    std::string user_id;
    nlohmann::json patch;
  };
  void UpdateUserMetadata(const std::string& user_id, const nlohmann::json& patch,
                          std::function<void(Status)> done) override;
  void UpdateAppMetadata(const std::string& user_id, const nlohmann::json& patch,
                         std::function<void(Status)> done) override;
  // Not thread-safe against concurrent executions using the same instance.
  const std::vector<Call>& calls() const { return calls_; }

 private:
  std::vector<Call> calls_;
};

}  // namespace gatehouse::rules
