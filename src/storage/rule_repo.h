#pragma once
// Storage slice: rules (SPEC §4.1) and rule settings (SPEC §5.3
// "rules-configs"). Implemented once over RecordRepo (record_rule_repo.h), so
// every backend has it: record kinds "rule" and "rules_config".

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::storage {

struct RuleRecord {
  std::string id;      // "rul_<16 hex>", assigned by Create
  std::string name;    // unique (exact match)
  std::string script;  // the function expression source
  int order = 0;       // lower runs first
  bool enabled = true;
  std::string stage = "login_success";  // Auth0's only rule stage
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t version = 0;
};

class RuleRepo {
 public:
  virtual ~RuleRepo() = default;
  // Assigns id (when empty), timestamps, version 1. AlreadyExists when the name
  // (or id) is taken. Validation of name/script is the caller's (mgmt) job.
  virtual Result<RuleRecord> Create(const RuleRecord& rule) = 0;
  virtual Result<RuleRecord> Get(const std::string& id) = 0;
  // Every rule, sorted by (order, created_at_ms, id). Empty is not an error.
  virtual Result<std::vector<RuleRecord>> List() = 0;
  // Compare-and-set on rule.version. NotFound, Conflict, AlreadyExists (name).
  virtual Result<RuleRecord> Update(const RuleRecord& rule, int64_t expected_version) = 0;
  virtual Status Delete(const std::string& id) = 0;

  // Rule settings (`configuration` in rules): values are secrets, never
  // returned by the Management API, only to the rules runtime.
  virtual Status SetConfig(const std::string& key, const std::string& value) = 0;
  virtual Status DeleteConfig(const std::string& key) = 0;  // NotFound when absent
  virtual Result<std::map<std::string, std::string>> AllConfig() = 0;
};

}  // namespace gatehouse::storage
