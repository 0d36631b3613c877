#include "flow/storage_bindings.h"

namespace gatehouse::flow {

RulesSource StorageRulesSource(storage::Storage& storage) {
  return [&storage]() -> Result<RulesSnapshot> {
    GH_ASSIGN_OR_RETURN(auto records, storage.rules().List());
    GH_ASSIGN_OR_RETURN(auto configuration, storage.rules().AllConfig());
    RulesSnapshot snapshot;
    snapshot.configuration = std::move(configuration);
    for (auto& record : records) {
      snapshot.rules.push_back(rules::Rule{.id = std::move(record.id),
                                           .name = std::move(record.name),
                                           .script = std::move(record.script),
                                           .order = record.order,
                                           .enabled = record.enabled});
    }
    return snapshot;
  };
}

TenantLogSink StorageLogSink(storage::Storage& storage) {
  return [&storage](storage::LogEvent event) -> Status {
    auto appended = storage.logs().Append(std::move(event));
    return appended.ok() ? Status::Ok() : appended.status();
  };
}

}  // namespace gatehouse::flow
