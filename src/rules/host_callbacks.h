#pragma once
// What rules may ask the host to do. The rules module never touches storage
// itself: the flow module implements this with Management-API merge semantics
// (SPEC §5.2).

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace gatehouse::rules {

// An outbound HTTP request made by a rule (fetch / request / axios). The
// engine has already cut `timeout` to what is left of the pipeline's limit.
struct FetchRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{0};
};

struct FetchResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string url;  // after redirects
};

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
  // Makes an outbound HTTP request for a rule. Called on a rules worker; may
  // block it for at most `request.timeout` (that time is already counted
  // against the pipeline's limit). `done` is called exactly once, from any
  // thread; any HTTP status is a response, an error Status (policy refusal,
  // timeout, size cap, connection failure) rejects the rule's Promise with its
  // message. The default refuses every call: hosts that reach the network
  // override it.
  virtual void Fetch(const FetchRequest& request, std::function<void(Result<FetchResponse>)> done);
};

// Accepts every update and stores nothing (tests, `gatehouse rules test`).
// Records the calls so a caller can show them. Outbound requests are recorded,
// never made: each is answered with the canned response when one is set, else
// refused with an error that says so (a dry run must not reach other servers).
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
  void Fetch(const FetchRequest& request, std::function<void(Result<FetchResponse>)> done) override;
  // Every outbound request answers `response` from now on.
  void SetFetchResponse(FetchResponse response) { canned_ = std::move(response); }
  // Not thread-safe against concurrent executions using the same instance.
  const std::vector<Call>& calls() const { return calls_; }
  const std::vector<FetchRequest>& fetches() const { return fetches_; }

 private:
  std::vector<Call> calls_;
  std::vector<FetchRequest> fetches_;
  std::optional<FetchResponse> canned_;
};

}  // namespace gatehouse::rules
