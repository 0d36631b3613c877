#pragma once
// Finds and reads the CommonJS files rules may require (lodash, moment and
// their relative requires), confined to one node_modules folder. No JS engine
// here: the SpiderMonkey loader compiles what this returns.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace gatehouse::rules {

class ModuleResolver {
 public:
  // `node_modules_dir` may be empty or missing: then nothing resolves.
  explicit ModuleResolver(const std::string& node_modules_dir);

  // Resolves `request` the way Node does for these packages: a bare name
  // ("lodash", "lodash/fp", "@scope/pkg") from the root folder (or a nested
  // node_modules between `from_dir` and the root), a relative one ("./x",
  // "../y") from `from_dir`; trying the path, then .js, .json,
  // package.json "main", index.js. Returns a canonical absolute path of a
  // regular file inside the root. NotFound ("Cannot find module 'x'") for
  // anything else, including relative requests from a rule (`from_dir` empty),
  // symlinks leading out of the root, and absolute paths. Thread-safe; results
  // are cached for the life of the resolver.
  Result<std::string> Resolve(const std::string& request, const std::string& from_dir);

  // Contents of a file Resolve returned (cached; files over 8 MiB refused with
  // ResourceExhausted). Thread-safe.
  Result<std::shared_ptr<const std::string>> Read(const std::string& filename);

 private:
  std::string ResolveUncached(const std::string& request, const std::string& from_dir) const;
  std::string AsFile(const std::string& path) const;
  std::string AsDirectory(const std::string& path) const;
  std::string Confined(const std::string& path) const;

  std::string root_;  // canonical, no trailing '/'; empty: nothing resolves
  std::mutex mu_;
  std::unordered_map<std::string, std::string> resolved_;  // from_dir + '\0' + request -> file
  std::unordered_map<std::string, std::shared_ptr<const std::string>> files_;
};

}  // namespace gatehouse::rules
