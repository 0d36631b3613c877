#pragma once
// Rules loaded from a folder at start-up (config `rules_dir`): each `*.js`
// file is one rule, named after the file (without `.js`), ordered by file
// name. Stored through storage.rules(), upserted by name, so the Management
// API sees and may edit them; a restart writes the file's version again.

#include <string>

#include "core/status.h"
#include "rules/engine.h"
#include "storage/storage.h"

namespace gatehouse::flow {

// Returns how many rules were created or updated. InvalidArgument (naming the
// file) when a file name is not a valid rule name or its script does not
// compile; NotFound when `dir` is not a folder. Nothing is stored unless every
// file compiles. Orders are 10, 20, 30... in file-name order.
Result<int> LoadRulesDir(storage::Storage& storage, rules::Engine& engine, const std::string& dir);

}  // namespace gatehouse::flow
