#include "flow/tenant_log.h"

#include "core/logging.h"

namespace gatehouse::flow {

TenantLog::TenantLog(TenantLogSink sink) : sink_(std::move(sink)) {}

void TenantLog::Emit(storage::LogEvent event) const {
  log::Info("tenant_log", {{"type", event.type},
                           {"description", event.description},
                           {"client_id", event.client_id},
                           {"user_id", event.user_id},
                           {"details", event.details}});
  if (!sink_) return;
  try {
    Status stored = sink_(std::move(event));
    if (!stored.ok()) log::Warn("tenant_log_failed", {{"error", stored.ToString()}});
  } catch (const std::exception& e) {
    log::Warn("tenant_log_failed", {{"error", e.what()}});
  }
}

}  // namespace gatehouse::flow
