#include "flow/rules_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "rules/rule.h"

namespace gatehouse::flow {

namespace fs = std::filesystem;

Result<int> LoadRulesDir(storage::Storage& storage, rules::Engine& engine, const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("rules_dir is not a folder: " + dir);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".js") files.push_back(entry.path());
  }
  if (ec) return Unavailable("cannot read rules_dir " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());

  std::vector<rules::Rule> loaded;
  int order = 10;
  for (const auto& file : files) {
    rules::Rule rule;
    rule.name = file.stem().string();
    Status named = rules::ValidateRuleName(rule.name);
    if (!named.ok()) return InvalidArgument(file.string() + ": " + named.message());
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    rule.script = text.str();
    rule.id = "file:" + rule.name;
    rule.order = order;
    order += 10;
    Status compiled = engine.Compile(rule);
    if (!compiled.ok()) return InvalidArgument(file.string() + ": " + compiled.message());
    loaded.push_back(std::move(rule));
  }

  GH_ASSIGN_OR_RETURN(auto existing, storage.rules().List());
  int written = 0;
  for (const auto& rule : loaded) {
    auto same = std::find_if(existing.begin(), existing.end(),
                             [&](const storage::RuleRecord& r) { return r.name == rule.name; });
    if (same == existing.end()) {
      storage::RuleRecord record;
      record.name = rule.name;
      record.script = rule.script;
      record.order = rule.order;
      record.enabled = true;
      auto created = storage.rules().Create(record);
      if (!created.ok()) return created.status();
      ++written;
    } else if (same->script != rule.script || same->order != rule.order) {
      storage::RuleRecord record = *same;
      record.script = rule.script;
      record.order = rule.order;
      auto updated = storage.rules().Update(record, same->version);
      if (!updated.ok()) return updated.status();
      ++written;
    }
  }
  return written;
}

}  // namespace gatehouse::flow
