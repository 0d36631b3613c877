// Rules loaded from config rules_dir at start-up: upserted by name, ordered by
// file name, refused as a whole when one file is bad.

#include "flow/rules_dir.h"

#include <filesystem>
#include <fstream>

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

namespace fs = std::filesystem;

class RulesDirTest : public RedirectTest {
 protected:
  void SetUp() override {
    RedirectTest::SetUp();
    dir_ = fs::temp_directory_path() / ("gh_rules_dir_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  Result<int> Load() { return LoadRulesDir(*h_.storage, *h_.engine, dir_.string()); }

  fs::path dir_;
};

constexpr const char* kNoop =
    "function (user, context, callback) { callback(null, user, context); }";

TEST_F(RulesDirTest, UpsertsByNameInFileOrder) {
  Write("b-second.js", kNoop);
  Write("a-first.js", kNoop);
  Write("notes.txt", "not a rule");
  auto loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, 2);
  auto rules = h_.storage->rules().List();
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].name, "a-first");
  EXPECT_EQ((*rules)[1].name, "b-second");

  EXPECT_EQ(*Load(), 0);  // unchanged files write nothing
  Write("a-first.js", "function (user, context, callback) { callback(null, user, context); } ");
  EXPECT_EQ(*Load(), 1);
  EXPECT_EQ(h_.storage->rules().List()->size(), 2u);
}

TEST_F(RulesDirTest, BadFileRefusesEverything) {
  Write("good.js", kNoop);
  Write("broken.js", "function (user, context, callback) { callback(null, user, ");
  auto loaded = Load();
  EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(loaded.status().message(), ::testing::HasSubstr("broken.js"));
  EXPECT_TRUE(h_.storage->rules().List()->empty());

  fs::remove(dir_ / "broken.js");
  Write("-bad name.js", kNoop);
  EXPECT_EQ(Load().status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(LoadRulesDir(*h_.storage, *h_.engine, (dir_ / "missing").string()).status().code(),
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace gatehouse::flow::testing
