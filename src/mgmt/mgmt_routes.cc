#include "mgmt/mgmt_routes.h"

#include <chrono>

#include "mgmt/context.h"

namespace gatehouse::mgmt {

void RegisterMgmtRoutes(http::Router& router, MgmtDeps deps) {
  // Owned by the handlers; the router keeps them as long as it lives.
  auto ctx = std::make_shared<MgmtContext>(deps);
  RegisterUserRoutes(router, ctx);
  RegisterRuleTryRoutes(router, ctx);
  RegisterRuleRoutes(router, ctx);
  RegisterRulesConfigRoutes(router, ctx);
  RegisterClientRoutes(router, ctx);
  RegisterConnectionRoutes(router, ctx);
  RegisterLogRoutes(router, ctx);
  RegisterActionRoutes(router, ctx);
}

Result<int64_t> PurgeOldLogs(storage::LogRepo& logs, const Clock& clock, int retention_days,
                             int64_t max) {
  if (retention_days <= 0) return int64_t{0};
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
  return logs.PurgeOlderThan(now_ms - int64_t{retention_days} * 86'400'000, max);
}

}  // namespace gatehouse::mgmt
