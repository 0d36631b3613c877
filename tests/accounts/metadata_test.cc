#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "accounts/accounts_fixture.h"
#include "accounts/metadata_merge.h"

namespace gatehouse::accounts {
namespace {

using nlohmann::json;

TEST(MetadataMerge, TopLevelReplaceNullDeletesOthersStay) {
  json stored = {{"a", 1}, {"nested", {{"x", 1}, {"y", 2}}}, {"gone", true}};
  json merged = MergeMetadata(stored, {{"nested", {{"x", 9}}}, {"gone", nullptr}, {"new", "v"}});
  EXPECT_EQ(merged, (json{{"a", 1}, {"nested", {{"x", 9}}}, {"new", "v"}}));
}

TEST(MetadataMerge, RejectsDotsDollarsAndNonObjects) {
  EXPECT_FALSE(ValidateMetadataPatch({{"a.b", 1}}).ok());
  EXPECT_FALSE(ValidateMetadataPatch({{"$set", 1}}).ok());
  EXPECT_FALSE(ValidateMetadataPatch({{"", 1}}).ok());
  EXPECT_FALSE(ValidateMetadataPatch(json::array({1})).ok());
  EXPECT_FALSE(ValidateMetadataPatch("text").ok());
  EXPECT_TRUE(
      ValidateMetadataPatch({{"ok_key", {{"a.b", 1}}}}).ok());  // only top-level keys matter
}

class MetadataTest : public testing::AccountsTest {};

TEST_F(MetadataTest, UpdatesBothMetadataAndLeavesNullPatchesAlone) {
  User u = MustSignUp("meta@example.com", "long enough password");
  auto r = service_->UpdateMetadata(u.user_id(), {{"color", "blue"}}, {{"plan", "pro"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  r = service_->UpdateMetadata(u.user_id(), {{"size", "L"}}, nullptr);
  ASSERT_TRUE(r.ok());
  json j = r->ToJson();
  EXPECT_EQ(j["user_metadata"], (json{{"color", "blue"}, {"size", "L"}}));
  EXPECT_EQ(j["app_metadata"], (json{{"plan", "pro"}}));
}

TEST_F(MetadataTest, RefusesBadPatchesAndOversizeWithoutWriting) {
  User u = MustSignUp("meta2@example.com", "long enough password");
  EXPECT_EQ(service_->UpdateMetadata(u.user_id(), {{"a.b", 1}}, nullptr).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->UpdateMetadata(u.user_id(), {{"big", std::string(17 * 1024, 'x')}}, nullptr)
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->UpdateMetadata("auth0|nobody", {{"a", 1}}, nullptr).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(service_->Get(u.user_id())->ToJson()["user_metadata"], json::object());
}

// SPEC §5.2: concurrent updates of different keys of one user never lose one.
TEST_F(MetadataTest, TwentyConcurrentPatchesOfDistinctKeysAllSurvive) {
  User u = MustSignUp("race@example.com", "long enough password");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      auto r = service_->UpdateMetadata(u.user_id(), {{"k" + std::to_string(i), i}}, nullptr);
      if (!r.ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  json meta = service_->Get(u.user_id())->ToJson()["user_metadata"];
  EXPECT_EQ(meta.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(meta["k" + std::to_string(i)], i);
}

}  // namespace
}  // namespace gatehouse::accounts
