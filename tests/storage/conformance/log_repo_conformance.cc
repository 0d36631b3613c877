// LogRepo: append, filters, newest-first paging, checkpoint paging, purge.

#include <set>

#include "storage/conformance/storage_conformance.h"

namespace gatehouse::storage::testing {
namespace {

LogEvent Ev(const std::string& type, const std::string& user = "", const std::string& client = "") {
  LogEvent e;
  e.type = type;
  e.user_id = user;
  e.client_id = client;
  e.description = "d";
  return e;
}

TEST_P(LogRepoConformance, AppendAssignsIdAndDateAndGetReturnsIt) {
  LogEvent e = Ev("s", "auth0|u1", "c1");
  e.ip = "10.0.0.1";
  e.details = R"({"k":1})";
  auto a = logs().Append(e);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->log_id.empty());
  EXPECT_EQ(a->date_ms, 1'700'000'000'000);
  auto got = logs().Get(a->log_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->type, "s");
  EXPECT_EQ(got->user_id, "auth0|u1");
  EXPECT_EQ(got->client_id, "c1");
  EXPECT_EQ(got->ip, "10.0.0.1");
  EXPECT_EQ(got->details, R"({"k":1})");
  EXPECT_EQ(logs().Get("nope").status().code(), ErrorCode::kNotFound);
}

TEST_P(LogRepoConformance, EmptyTypeIsInvalidArgument) {
  EXPECT_EQ(logs().Append(Ev("")).status().code(), ErrorCode::kInvalidArgument);
}

TEST_P(LogRepoConformance, IdsAreUniqueAndTimeOrdered) {
  std::set<std::string> ids;
  std::string prev;
  for (int i = 0; i < 50; ++i) {
    if (i % 10 == 0) clock_.Advance(std::chrono::milliseconds(1));
    auto a = logs().Append(Ev("s"));
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(ids.insert(a->log_id).second);
    if (i % 10 == 0 && !prev.empty()) {
      EXPECT_GT(a->log_id, prev);
    }
    prev = a->log_id;
  }
}

TEST_P(LogRepoConformance, QueryFiltersNewestFirstWithTotals) {
  ASSERT_TRUE(logs().Append(Ev("s", "u1", "c1")).ok());
  clock_.Advance(std::chrono::milliseconds(10));
  ASSERT_TRUE(logs().Append(Ev("f", "u1", "c2")).ok());
  clock_.Advance(std::chrono::milliseconds(10));
  ASSERT_TRUE(logs().Append(Ev("s", "u2", "c1")).ok());

  LogQuery all;
  auto p = logs().Query(all);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 3);
  ASSERT_EQ(p->events.size(), 3u);
  EXPECT_EQ(p->events[0].user_id, "u2");
  EXPECT_EQ(p->events[2].type, "s");

  LogQuery by_type;
  by_type.type = "s";
  EXPECT_EQ(logs().Query(by_type)->total, 2);
  LogQuery by_user;
  by_user.user_id = "u1";
  EXPECT_EQ(logs().Query(by_user)->total, 2);
  LogQuery by_client;
  by_client.client_id = "c2";
  auto c2 = logs().Query(by_client);
  ASSERT_EQ(c2->events.size(), 1u);
  EXPECT_EQ(c2->events[0].type, "f");
  LogQuery by_date;
  by_date.from_ms = 1'700'000'000'010;
  by_date.to_ms = 1'700'000'000'010;
  auto d = logs().Query(by_date);
  ASSERT_EQ(d->events.size(), 1u);
  EXPECT_EQ(d->events[0].type, "f");
}

TEST_P(LogRepoConformance, OffsetAndCheckpointPaging) {
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(std::chrono::milliseconds(1));
    LogEvent e = Ev("s");
    e.description = std::to_string(i);
    ASSERT_TRUE(logs().Append(e).ok());
  }
  LogQuery q;
  q.per_page = 3;
  q.page = 1;
  auto p = logs().Query(q);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 7);
  ASSERT_EQ(p->events.size(), 3u);
  EXPECT_EQ(p->events[0].description, "3");

  LogQuery cp;
  cp.per_page = 4;
  auto first = logs().Query(cp);
  ASSERT_EQ(first->events.size(), 4u);
  cp.from_log_id = first->events.back().log_id;
  auto next = logs().Query(cp);
  ASSERT_EQ(next->events.size(), 3u);
  EXPECT_EQ(next->events[0].description, "2");
  EXPECT_EQ(next->events[2].description, "0");
}

TEST_P(LogRepoConformance, BadPagingIsInvalidArgument) {
  LogQuery q;
  q.per_page = 0;
  EXPECT_EQ(logs().Query(q).status().code(), ErrorCode::kInvalidArgument);
  q.per_page = 101;
  EXPECT_EQ(logs().Query(q).status().code(), ErrorCode::kInvalidArgument);
  q.per_page = 10;
  q.page = -1;
  EXPECT_EQ(logs().Query(q).status().code(), ErrorCode::kInvalidArgument);
}

TEST_P(LogRepoConformance, PurgeOlderThanRemovesOnlyOldEventsUpToMax) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(logs().Append(Ev("old")).ok());
  clock_.Advance(std::chrono::seconds(100));
  ASSERT_TRUE(logs().Append(Ev("new")).ok());
  const int64_t cutoff = 1'700'000'050'000;
  EXPECT_EQ(*logs().PurgeOlderThan(cutoff, 0), 0);
  EXPECT_EQ(*logs().PurgeOlderThan(cutoff, 3), 3);
  EXPECT_EQ(*logs().PurgeOlderThan(cutoff, 100), 2);
  auto left = logs().Query(LogQuery{});
  ASSERT_EQ(left->total, 1);
  EXPECT_EQ(left->events[0].type, "new");
}

}  // namespace
}  // namespace gatehouse::storage::testing
