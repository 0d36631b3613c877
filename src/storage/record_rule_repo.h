#pragma once
// RuleRepo implemented once over RecordRepo, so every backend has rules and
// rule settings without its own table. Layout:
//   kind "rule"         id = rule id, data = the rule as JSON
//   kind "rule_name"    id = rule name, data = rule id (the uniqueness index)
//   kind "rules_config" id = setting key, data = value (raw bytes)
// Create and rename claim the name record first (RecordRepo::Create is atomic),
// so two racing creators of one name cannot both win. A crash between the two
// writes can leave a dangling name record; it is detected (the rule it points
// at is absent or has another name, and the claim is over a minute old) and
// reclaimed on the next claim.
// Thread-safe; `records` and `clock` must outlive this object.

#include <memory>

#include "core/clock.h"
#include "storage/record_repo.h"
#include "storage/rule_repo.h"

namespace gatehouse::storage {

std::unique_ptr<RuleRepo> CreateRecordRuleRepo(RecordRepo& records, Clock& clock);

}  // namespace gatehouse::storage
