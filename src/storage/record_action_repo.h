#pragma once
// ActionRepo implemented once over RecordRepo. Layout:
//   kind "action"          id = action id, data = the action as JSON
//   kind "action_name"     id = action name, data = action id (uniqueness claim)
//   kind "action_bindings" id = trigger id, data = JSON array of action ids
// Create and rename claim the name record first (RecordRepo::Create is
// atomic), so two racing creators of one name cannot both win. Binding lists
// change by compare-and-set, retried on conflict.
// Thread-safe; `records` and `clock` must outlive this object.

#include <memory>

#include "core/clock.h"
#include "storage/action_repo.h"
#include "storage/record_repo.h"

namespace gatehouse::storage {

std::unique_ptr<ActionRepo> CreateRecordActionRepo(RecordRepo& records, Clock& clock);

}  // namespace gatehouse::storage
