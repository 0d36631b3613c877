#pragma once
// Storage slice: Auth0 Actions (post-login trigger) and their trigger
// bindings. Implemented once over RecordRepo (record_action_repo.h), so every
// backend has it without its own table.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::storage {

struct ActionRecord {
  std::string id;    // "act_<16 hex>", assigned by Create when empty
  std::string name;  // unique (exact match)
  std::string code;  // the draft: what the Management API edits
  std::map<std::string, std::string>
      secrets;  // values never leave the server except to the runtime
  std::string runtime = "node18";
  std::string trigger = "post-login";  // the only supported trigger
  // What logins run: the code and secrets as of the last deploy ("" = never
  // deployed; an action that was never deployed cannot be bound).
  std::string deployed_code;
  std::map<std::string, std::string> deployed_secrets;
  int64_t deployed_version = 0;  // number of deploys so far
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t version = 0;  // of the stored record (compare-and-set)
};

class ActionRepo {
 public:
  virtual ~ActionRepo() = default;
  // Assigns id (when empty), timestamps, version 1. AlreadyExists when the
  // name or id is taken; InvalidArgument for an empty name.
  virtual Result<ActionRecord> Create(const ActionRecord& action) = 0;
  // NotFound when absent.
  virtual Result<ActionRecord> Get(const std::string& id) = 0;
  // Every action, by (created_at_ms, id). Empty is not an error.
  virtual Result<std::vector<ActionRecord>> List() = 0;
  // Compare-and-set on `expected_version`: NotFound, Conflict (the version
  // moved), AlreadyExists (renamed onto a taken name).
  virtual Result<ActionRecord> Update(const ActionRecord& action, int64_t expected_version) = 0;
  // Deletes the action and removes it from every binding list. NotFound when absent.
  virtual Status Delete(const std::string& id) = 0;

  // The action ids bound to `trigger`, in run order (empty when none).
  virtual Result<std::vector<std::string>> Bindings(const std::string& trigger) = 0;
  // Replaces the binding list of `trigger` (atomic). The caller checks the ids.
  virtual Status SetBindings(const std::string& trigger, const std::vector<std::string>& ids) = 0;
};

}  // namespace gatehouse::storage
