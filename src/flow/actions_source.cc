#include "flow/actions_source.h"

#include <memory>

#include "storage/record_action_repo.h"

namespace gatehouse::flow {

ActionsSource StorageActionsSource(storage::Storage& storage, Clock& clock) {
  std::shared_ptr<storage::ActionRepo> repo =
      storage::CreateRecordActionRepo(storage.records(), clock);
  return [repo]() -> Result<std::vector<rules::Action>> {
    GH_ASSIGN_OR_RETURN(auto ids, repo->Bindings("post-login"));
    std::vector<rules::Action> actions;
    for (const auto& id : ids) {
      auto record = repo->Get(id);
      if (!record.ok()) {
        if (record.status().code() == ErrorCode::kNotFound) continue;
        return record.status();
      }
      if (record->deployed_version == 0) continue;
      actions.push_back(rules::Action{.id = record->id,
                                      .name = record->name,
                                      .code = record->deployed_code,
                                      .secrets = record->deployed_secrets});
    }
    return actions;
  };
}

}  // namespace gatehouse::flow
