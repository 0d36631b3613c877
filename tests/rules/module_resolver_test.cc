#include "rules/module_resolver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace gatehouse::rules {
namespace {
namespace fs = std::filesystem;

class ModuleResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("gh-modres-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = (base_ / "node_modules").string();
    Write("node_modules/pkg/package.json", R"({"main": "./lib/main"})");
    Write("node_modules/pkg/lib/main.js", "module.exports = 1;");
    Write("node_modules/pkg/lib/helper.js", "");
    Write("node_modules/pkg/node_modules/dep/index.js", "");
    Write("node_modules/plain/index.js", "");
    Write("node_modules/data/index.json", "{}");
    Write("node_modules/@scope/x/index.js", "");
    Write("secret.js", "outside");
    fs::create_directory_symlink(base_, base_ / "node_modules" / "escape");
    fs::create_symlink(base_ / "secret.js", base_ / "node_modules" / "plain" / "link.js");
  }
  void TearDown() override { fs::remove_all(base_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::path p = base_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  std::string Path(const std::string& rel) { return fs::canonical(base_ / rel).string(); }

  fs::path base_;
  std::string root_;
};

TEST_F(ModuleResolverTest, ResolvesPackagesLikeNode) {
  ModuleResolver r(root_);
  EXPECT_EQ(*r.Resolve("pkg", ""), Path("node_modules/pkg/lib/main.js"));
  EXPECT_EQ(*r.Resolve("plain", ""), Path("node_modules/plain/index.js"));
  EXPECT_EQ(*r.Resolve("data", ""), Path("node_modules/data/index.json"));
  EXPECT_EQ(*r.Resolve("@scope/x", ""), Path("node_modules/@scope/x/index.js"));
  EXPECT_EQ(*r.Resolve("pkg/lib/helper", ""), Path("node_modules/pkg/lib/helper.js"));
  std::string lib = Path("node_modules/pkg/lib");
  EXPECT_EQ(*r.Resolve("./helper", lib), Path("node_modules/pkg/lib/helper.js"));
  EXPECT_EQ(*r.Resolve("../package.json", lib), Path("node_modules/pkg/package.json"));
  EXPECT_EQ(*r.Resolve("dep", lib), Path("node_modules/pkg/node_modules/dep/index.js"));
  EXPECT_EQ(**r.Read(Path("node_modules/pkg/lib/main.js")), "module.exports = 1;");
}

TEST_F(ModuleResolverTest, StaysInsideTheRoot) {
  ModuleResolver r(root_);
  std::string lib = Path("node_modules/pkg/lib");
  for (auto [request, from] : std::vector<std::pair<std::string, std::string>>{
           {"./helper", ""},          // rules cannot require files
           {"../../../secret", lib},  // climbing out
           {"escape/secret", ""},     // a directory symlink out of the root
           {"plain/link", ""},        // a file symlink out of the root
           {Path("secret.js"), ""},   // absolute
           {"missing", ""},
           {"dep", ""},  // nested deps only from inside their package
       }) {
    auto found = r.Resolve(request, from);
    EXPECT_EQ(found.status().code(), ErrorCode::kNotFound) << request;
  }
  EXPECT_EQ(r.Resolve("nope", "").status().message(), "Cannot find module 'nope'");
  EXPECT_FALSE(r.Read(Path("secret.js")).ok());
}

TEST_F(ModuleResolverTest, NoRootResolvesNothing) {
  ModuleResolver none("");
  EXPECT_FALSE(none.Resolve("pkg", "").ok());
  ModuleResolver missing((base_ / "absent").string());
  EXPECT_FALSE(missing.Resolve("pkg", "").ok());
}

}  // namespace
}  // namespace gatehouse::rules
