#pragma once
// The rules pipeline and the tenant log over the storage slices: what the
// server wires in (tests inject their own sources instead).

#include "flow/rules_pipeline.h"
#include "flow/tenant_log.h"
#include "storage/storage.h"

namespace gatehouse::flow {

// Reads storage.rules().List() and AllConfig() on every call (each login
// sees the rules as they are now). `storage` must outlive the source.
RulesSource StorageRulesSource(storage::Storage& storage);

// Appends to storage.logs(). `storage` must outlive the sink.
TenantLogSink StorageLogSink(storage::Storage& storage);

}  // namespace gatehouse::flow
