#pragma once
// Tenant log events of the login flow (Auth0 shape, storage/log_repo.h):
// s / f / fp / fu / limit_wc, gh_redirect, gh_resume, gh_resume_rejected,
// gh_rule_console, gh_rules (each rules pass: per-rule run time, outcome,
// transaction). Logging never fails a login: a sink error is written to the
// process log and otherwise ignored.

#include <functional>

#include "core/status.h"
#include "storage/log_repo.h"

namespace gatehouse::flow {

// Where events go: storage.logs().Append once that slice exists. Empty: the
// events only reach the process log.
using TenantLogSink = std::function<Status(storage::LogEvent)>;

// Thread-safe when the sink is.
class TenantLog {
 public:
  explicit TenantLog(TenantLogSink sink = {});
  // Writes `event` to the process log (debug) and to the sink. Never throws.
  void Emit(storage::LogEvent event) const;

 private:
  TenantLogSink sink_;
};

}  // namespace gatehouse::flow
