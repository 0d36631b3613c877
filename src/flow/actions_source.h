#pragma once
// The post-login actions a login runs, read from storage: the deployed code
// and secrets of the actions bound to the post-login trigger, in binding
// order (what the server wires into RulesPipelineOptions::actions).

#include "core/clock.h"
#include "flow/rules_pipeline.h"
#include "storage/storage.h"

namespace gatehouse::flow {

// Reads the bindings and actions on every call (each login sees them as they
// are now). A bound action that was deleted or never deployed is skipped.
// `storage` and `clock` must outlive the source.
ActionsSource StorageActionsSource(storage::Storage& storage, Clock& clock);

}  // namespace gatehouse::flow
