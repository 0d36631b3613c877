// RuleRepo: rules (unique names, ordering, compare-and-set) and rule settings.

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

#include "storage/conformance/storage_conformance.h"

namespace gatehouse::storage::testing {
namespace {

RuleRecord NewRule(const std::string& name, int order = 0) {
  RuleRecord r;
  r.name = name;
  r.script = "function (user, context, callback) { callback(null, user, context); }";
  r.order = order;
  return r;
}

TEST_P(RuleRepoConformance, CreateAssignsIdVersionAndTimestamps) {
  auto r = rules().Create(NewRule("add-claims", 3));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id.rfind("rul_", 0), 0u);
  EXPECT_EQ(r->id.size(), 20u);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->created_at_ms, 1'700'000'000'000);
  EXPECT_EQ(r->updated_at_ms, r->created_at_ms);
  auto got = rules().Get(r->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "add-claims");
  EXPECT_EQ(got->order, 3);
  EXPECT_TRUE(got->enabled);
  EXPECT_EQ(got->stage, "login_success");
  EXPECT_EQ(got->script, NewRule("x").script);
}

TEST_P(RuleRepoConformance, DuplicateNameIsAlreadyExists) {
  ASSERT_TRUE(rules().Create(NewRule("same")).ok());
  EXPECT_EQ(rules().Create(NewRule("same")).status().code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(rules().Create(NewRule("Same")).ok()) << "names are exact-match";
}

TEST_P(RuleRepoConformance, GetUnknownIsNotFound) {
  EXPECT_EQ(rules().Get("rul_0000000000000000").status().code(), ErrorCode::kNotFound);
}

TEST_P(RuleRepoConformance, ListSortsByOrderThenCreation) {
  auto c = rules().Create(NewRule("c", 2));
  clock_.Advance(std::chrono::milliseconds(5));
  auto a = rules().Create(NewRule("a", 1));
  clock_.Advance(std::chrono::milliseconds(5));
  auto b = rules().Create(NewRule("b", 2));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  auto list = rules().List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "a");
  EXPECT_EQ((*list)[1].name, "c");
  EXPECT_EQ((*list)[2].name, "b");
}

TEST_P(RuleRepoConformance, ListEmptyIsNotAnError) {
  auto list = rules().List();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_P(RuleRepoConformance, UpdateIsCompareAndSetAndRenameFreesOldName) {
  auto r = rules().Create(NewRule("old"));
  ASSERT_TRUE(r.ok());
  clock_.Advance(std::chrono::milliseconds(10));
  RuleRecord changed = *r;
  changed.name = "new";
  changed.enabled = false;
  auto u = rules().Update(changed, 1);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->version, 2);
  EXPECT_FALSE(u->enabled);
  EXPECT_EQ(u->created_at_ms, r->created_at_ms);
  EXPECT_EQ(u->updated_at_ms, r->created_at_ms + 10);
  EXPECT_EQ(rules().Update(changed, 1).status().code(), ErrorCode::kConflict);
  EXPECT_TRUE(rules().Create(NewRule("old")).ok()) << "old name is free again";
  EXPECT_EQ(rules().Create(NewRule("new")).status().code(), ErrorCode::kAlreadyExists);
}

TEST_P(RuleRepoConformance, RenameToTakenNameIsAlreadyExistsAndChangesNothing) {
  auto a = rules().Create(NewRule("a"));
  auto b = rules().Create(NewRule("b"));
  ASSERT_TRUE(a.ok() && b.ok());
  RuleRecord changed = *b;
  changed.name = "a";
  EXPECT_EQ(rules().Update(changed, 1).status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(rules().Get(b->id)->name, "b");
  EXPECT_EQ(rules().Get(b->id)->version, 1);
}

TEST_P(RuleRepoConformance, UpdateUnknownIsNotFound) {
  RuleRecord r = NewRule("ghost");
  r.id = "rul_ffffffffffffffff";
  EXPECT_EQ(rules().Update(r, 1).status().code(), ErrorCode::kNotFound);
}

TEST_P(RuleRepoConformance, DeleteRemovesRuleAndFreesName) {
  auto r = rules().Create(NewRule("gone"));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(rules().Delete(r->id).ok());
  EXPECT_EQ(rules().Get(r->id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(rules().Delete(r->id).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(rules().Create(NewRule("gone")).ok());
}

TEST_P(RuleRepoConformance, RacingCreatorsOfOneNameExactlyOneWins) {
  constexpr int kThreads = 8;
  std::atomic<int> wins{0}, exists{0};
  std::barrier sync(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      sync.arrive_and_wait();
      auto r = rules().Create(NewRule("contended"));
      if (r.ok())
        ++wins;
      else if (r.status().code() == ErrorCode::kAlreadyExists)
        ++exists;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(exists.load(), kThreads - 1);
  EXPECT_EQ(rules().List()->size(), 1u);
}

TEST_P(RuleRepoConformance, StaleDanglingNameClaimIsReclaimed) {
  // What a crash between the name claim and the rule write leaves behind.
  ASSERT_TRUE(records().Create("rule_name", "orphan", "rul_00000000deadbeef", std::nullopt).ok());
  EXPECT_EQ(rules().Create(NewRule("orphan")).status().code(), ErrorCode::kAlreadyExists);
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_TRUE(rules().Create(NewRule("orphan")).ok());
}

TEST_P(RuleRepoConformance, ConfigSetOverwriteListDelete) {
  EXPECT_TRUE(rules().AllConfig()->empty());
  ASSERT_TRUE(rules().SetConfig("API_KEY", "one").ok());
  ASSERT_TRUE(rules().SetConfig("API_KEY", "two").ok());
  ASSERT_TRUE(rules().SetConfig("OTHER", "").ok());
  auto all = rules().AllConfig();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at("API_KEY"), "two");
  EXPECT_EQ(all->at("OTHER"), "");
  ASSERT_TRUE(rules().DeleteConfig("API_KEY").ok());
  EXPECT_EQ(rules().DeleteConfig("API_KEY").code(), ErrorCode::kNotFound);
  EXPECT_EQ(rules().AllConfig()->count("API_KEY"), 0u);
  EXPECT_EQ(rules().SetConfig("", "x").code(), ErrorCode::kInvalidArgument);
}

TEST_P(RuleRepoConformance, ConfigDoesNotShowUpAsRules) {
  ASSERT_TRUE(rules().SetConfig("K", "v").ok());
  EXPECT_TRUE(rules().List()->empty());
}

}  // namespace
}  // namespace gatehouse::storage::testing
