#include "rules/module_resolver.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace gatehouse::rules {
namespace fs = std::filesystem;

namespace {
constexpr uintmax_t kMaxModuleBytes = 8u << 20;

bool IsRelative(const std::string& r) {
  return r.rfind("./", 0) == 0 || r.rfind("../", 0) == 0 || r == "." || r == "..";
}
}  // namespace

ModuleResolver::ModuleResolver(const std::string& node_modules_dir) {
  if (node_modules_dir.empty()) return;
  std::error_code ec;
  fs::path canonical = fs::canonical(node_modules_dir, ec);
  if (!ec && fs::is_directory(canonical, ec)) root_ = canonical.string();
}

std::string ModuleResolver::Confined(const std::string& path) const {
  std::error_code ec;
  fs::path canonical = fs::canonical(path, ec);
  if (ec) return "";
  std::string s = canonical.string();
  if (s.rfind(root_ + "/", 0) != 0) return "";
  if (!fs::is_regular_file(canonical, ec)) return "";
  return s;
}

std::string ModuleResolver::AsFile(const std::string& path) const {
  for (const char* ext : {"", ".js", ".json"}) {
    std::string found = Confined(path + ext);
    if (!found.empty()) return found;
  }
  return "";
}

std::string ModuleResolver::AsDirectory(const std::string& path) const {
  std::string package_json = Confined(path + "/package.json");
  if (!package_json.empty()) {
    std::ifstream in(package_json);
    auto pkg = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (pkg.is_object() && pkg.contains("main") && pkg["main"].is_string()) {
      std::string main = path + "/" + pkg["main"].get<std::string>();
      std::string found = AsFile(main);
      if (found.empty()) found = Confined(main + "/index.js");
      if (!found.empty()) return found;
    }
  }
  std::string found = Confined(path + "/index.js");
  return found.empty() ? Confined(path + "/index.json") : found;
}

std::string ModuleResolver::ResolveUncached(const std::string& request,
                                            const std::string& from_dir) const {
  if (root_.empty() || request.empty() || request[0] == '/' ||
      request.find('\0') != std::string::npos) {
    return "";
  }
  if (IsRelative(request)) {
    if (from_dir.empty()) return "";
    std::string base = from_dir + "/" + request;
    std::string found = AsFile(base);
    return found.empty() ? AsDirectory(base) : found;
  }
  // Bare names: nested node_modules from from_dir up to the root, then the root.
  std::vector<std::string> dirs;
  for (fs::path d = from_dir; !d.empty() && d.string().rfind(root_ + "/", 0) == 0;
       d = d.parent_path()) {
    if (d.filename() != "node_modules") dirs.push_back((d / "node_modules").string());
  }
  dirs.push_back(root_);
  for (const auto& dir : dirs) {
    std::string base = dir;
    base.append("/").append(request);
    std::string found = AsFile(base);
    if (found.empty()) found = AsDirectory(base);
    if (!found.empty()) return found;
  }
  return "";
}

Result<std::string> ModuleResolver::Resolve(const std::string& request,
                                            const std::string& from_dir) {
  std::string key = from_dir + '\0' + request;
  {
    std::lock_guard lock(mu_);
    auto it = resolved_.find(key);
    if (it != resolved_.end()) return it->second;
  }
  std::string found = ResolveUncached(request, from_dir);
  if (found.empty()) return NotFound("Cannot find module '" + request + "'");
  std::lock_guard lock(mu_);
  resolved_.emplace(std::move(key), found);
  return found;
}

Result<std::shared_ptr<const std::string>> ModuleResolver::Read(const std::string& filename) {
  {
    std::lock_guard lock(mu_);
    auto it = files_.find(filename);
    if (it != files_.end()) return it->second;
  }
  std::string confined = root_.empty() ? "" : Confined(filename);
  if (confined.empty() || confined != filename) return NotFound("no module file " + filename);
  std::error_code ec;
  if (fs::file_size(filename, ec) > kMaxModuleBytes || ec) {
    return ResourceExhausted("module file too large: " + filename);
  }
  std::ifstream in(filename, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto content = std::make_shared<const std::string>(text.str());
  std::lock_guard lock(mu_);
  files_.emplace(filename, content);
  return content;
}

}  // namespace gatehouse::rules
