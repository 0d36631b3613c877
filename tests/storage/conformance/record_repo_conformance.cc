// Single-threaded behaviour of RecordRepo: CRUD, errors, expiry, paging,
// input limits and binary safety.

#include <cstdio>
#include <string>
#include <vector>

#include "storage/conformance/storage_conformance.h"
#include "storage/validation.h"

namespace gatehouse::storage::testing {
namespace {

using std::chrono::seconds;

TEST_P(RecordRepoConformance, CreateThenGetReturnsVersionOneWithTimestamps) {
  auto created = records().Create("transaction", "t1", R"({"s":"created"})", std::nullopt);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->created_at, clock_.NowSeconds());
  EXPECT_EQ(created->updated_at, clock_.NowSeconds());
  EXPECT_FALSE(created->expires_at.has_value());

  auto got = records().Get("transaction", "t1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->kind, "transaction");
  EXPECT_EQ(got->id, "t1");
  EXPECT_EQ(got->data, R"({"s":"created"})");
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->created_at, created->created_at);
}

TEST_P(RecordRepoConformance, DuplicateCreateIsAlreadyExistsAndKeepsOriginal) {
  ASSERT_TRUE(records().Create("code", "c", "first", std::nullopt).ok());
  auto again = records().Create("code", "c", "second", std::nullopt);
  EXPECT_EQ(again.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(records().Get("code", "c")->data, "first");
}

TEST_P(RecordRepoConformance, CompareAndSetBumpsVersionAndKeepsCreatedAt) {
  auto r = records().Create("transaction", "t", "v1", std::nullopt);
  ASSERT_TRUE(r.ok());
  clock_.Advance(seconds(5));
  auto updated = records().CompareAndSet("transaction", "t", 1, "v2", clock_.NowSeconds() + 60);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->created_at, r->created_at);
  EXPECT_EQ(updated->updated_at, clock_.NowSeconds());
  auto got = records().Get("transaction", "t");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data, "v2");
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->updated_at, clock_.NowSeconds());
  EXPECT_EQ(got->expires_at, clock_.NowSeconds() + 60);
  // Expiry can be cleared again.
  ASSERT_TRUE(records().CompareAndSet("transaction", "t", 2, "v3", std::nullopt).ok());
  EXPECT_FALSE(records().Get("transaction", "t")->expires_at.has_value());
}

TEST_P(RecordRepoConformance, StaleVersionIsConflictAndChangesNothing) {
  ASSERT_TRUE(records().Create("transaction", "t", "v1", std::nullopt).ok());
  ASSERT_TRUE(records().CompareAndSet("transaction", "t", 1, "v2", std::nullopt).ok());
  EXPECT_EQ(records().CompareAndSet("transaction", "t", 1, "stale", std::nullopt).status().code(),
            ErrorCode::kConflict);
  EXPECT_EQ(records().CompareAndSet("transaction", "t", 7, "future", std::nullopt).status().code(),
            ErrorCode::kConflict);
  EXPECT_EQ(records().DeleteIfVersion("transaction", "t", 1).code(), ErrorCode::kConflict);
  auto got = records().Get("transaction", "t");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data, "v2");
  EXPECT_EQ(got->version, 2);
}

TEST_P(RecordRepoConformance, MissingRecordIsNotFoundEverywhereButDelete) {
  EXPECT_EQ(records().Get("code", "nope").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(records().CompareAndSet("code", "nope", 1, "x", std::nullopt).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(records().DeleteIfVersion("code", "nope", 1).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(records().Delete("code", "nope").ok());
}

TEST_P(RecordRepoConformance, DeleteIfVersionConsumesOnce) {
  ASSERT_TRUE(records().Create("code", "c", "x", std::nullopt).ok());
  EXPECT_TRUE(records().DeleteIfVersion("code", "c", 1).ok());
  EXPECT_EQ(records().Get("code", "c").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(records().DeleteIfVersion("code", "c", 1).code(), ErrorCode::kNotFound);
  // The key is free again.
  EXPECT_TRUE(records().Create("code", "c", "y", std::nullopt).ok());
}

TEST_P(RecordRepoConformance, DeleteIsUnconditional) {
  ASSERT_TRUE(records().Create("code", "c", "x", std::nullopt).ok());
  ASSERT_TRUE(records().CompareAndSet("code", "c", 1, "y", std::nullopt).ok());
  EXPECT_TRUE(records().Delete("code", "c").ok());
  EXPECT_EQ(records().Get("code", "c").status().code(), ErrorCode::kNotFound);
}

TEST_P(RecordRepoConformance, KindsAreSeparateNamespaces) {
  ASSERT_TRUE(records().Create("code", "same", "code data", std::nullopt).ok());
  ASSERT_TRUE(records().Create("transaction", "same", "tx data", std::nullopt).ok());
  EXPECT_EQ(records().Get("code", "same")->data, "code data");
  EXPECT_EQ(records().Get("transaction", "same")->data, "tx data");
  ASSERT_TRUE(records().Delete("code", "same").ok());
  EXPECT_TRUE(records().Get("transaction", "same").ok());
}

TEST_P(RecordRepoConformance, ExpiredRecordIsNotFoundForGetCasAndDeleteIfVersion) {
  const int64_t exp = clock_.NowSeconds() + 10;
  ASSERT_TRUE(records().Create("code", "c", "x", exp).ok());
  clock_.Advance(seconds(9));
  EXPECT_TRUE(records().Get("code", "c").ok());
  clock_.Advance(seconds(1));  // now == expires_at: expired
  EXPECT_EQ(records().Get("code", "c").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(records().CompareAndSet("code", "c", 1, "y", std::nullopt).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(records().DeleteIfVersion("code", "c", 1).code(), ErrorCode::kNotFound);
  // Moving the clock back shows the record was left untouched by those calls.
  clock_.SetSeconds(exp - 1);
  auto got = records().Get("code", "c");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data, "x");
  EXPECT_EQ(got->version, 1);
}

TEST_P(RecordRepoConformance, ExpiredRecordCanBeCreatedAgain) {
  ASSERT_TRUE(records().Create("code", "c", "old", clock_.NowSeconds() + 1).ok());
  ASSERT_TRUE(records().CompareAndSet("code", "c", 1, "old2", clock_.NowSeconds() + 1).ok());
  clock_.Advance(seconds(2));
  auto again = records().Create("code", "c", "new", std::nullopt);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->version, 1);
  auto got = records().Get("code", "c");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data, "new");
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->created_at, clock_.NowSeconds());
  EXPECT_FALSE(got->expires_at.has_value());
}

TEST_P(RecordRepoConformance, PurgeExpiredRemovesOnlyExpiredAndCountsThem) {
  const int64_t now = clock_.NowSeconds();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(records().Create("code", "dead" + std::to_string(i), "x", now + 5).ok());
  }
  ASSERT_TRUE(records().Create("code", "live", "x", now + 100).ok());
  ASSERT_TRUE(records().Create("session", "forever", "x", std::nullopt).ok());
  EXPECT_EQ(records().PurgeExpired(100).value(), 0);
  clock_.Advance(seconds(5));
  EXPECT_EQ(records().PurgeExpired(3).value(), 3);  // bounded by max
  EXPECT_EQ(records().PurgeExpired(100).value(), 2);
  EXPECT_EQ(records().PurgeExpired(100).value(), 0);
  EXPECT_TRUE(records().Get("code", "live").ok());
  EXPECT_TRUE(records().Get("session", "forever").ok());
  // Physically gone: visible even with the clock moved back.
  clock_.SetSeconds(now);
  EXPECT_EQ(records().Get("code", "dead0").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(records().PurgeExpired(0).value(), 0);
}

TEST_P(RecordRepoConformance, ListPagesInIdOrderWithinOneKind) {
  for (int i = 24; i >= 0; --i) {  // inserted out of order on purpose
    char id[8];
    std::snprintf(id, sizeof id, "id%02d", i);
    ASSERT_TRUE(records().Create("client", id, "d" + std::to_string(i), std::nullopt).ok());
  }
  ASSERT_TRUE(records().Create("user", "id00", "other kind", std::nullopt).ok());
  ASSERT_TRUE(records().Create("client", "id99", "expired", clock_.NowSeconds()).ok());

  std::vector<std::string> seen;
  std::string after;
  std::vector<size_t> page_sizes;
  while (true) {
    auto page = records().List("client", after, 10);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (page->empty()) break;
    page_sizes.push_back(page->size());
    for (const Record& r : *page) {
      EXPECT_EQ(r.kind, "client");
      seen.push_back(r.id);
    }
    after = page->back().id;
  }
  EXPECT_EQ(page_sizes, (std::vector<size_t>{10, 10, 5}));
  ASSERT_EQ(seen.size(), 25u);
  for (int i = 0; i < 25; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "id%02d", i);
    EXPECT_EQ(seen[i], id);
  }
  auto first = records().List("client", "", 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front().data, "d0");
  EXPECT_EQ(first->front().version, 1);
  EXPECT_TRUE(records().List("nothing_here", "", 10)->empty());
}

TEST_P(RecordRepoConformance, ListOrdersIdsBytewise) {
  for (const std::string& id : {std::string("b"), std::string("a\xff"), std::string("a"),
                                std::string("A"), std::string("\x01")}) {
    ASSERT_TRUE(records().Create("k", id, "", std::nullopt).ok());
  }
  auto all = records().List("k", "", 100);
  ASSERT_TRUE(all.ok());
  std::vector<std::string> ids;
  for (const Record& r : *all) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"\x01", "A", "a", "a\xff", "b"}));
}

TEST_P(RecordRepoConformance, InvalidKindIdOrSizeIsInvalidArgumentAndWritesNothing) {
  const std::string ok_data = "x";
  const std::string nul_id("a\0b", 3);
  struct Case {
    std::string kind, id, data;
  };
  const std::vector<Case> bad = {
      {"", "id", ok_data},          {"Upper", "id", ok_data},
      {"with-dash", "id", ok_data}, {"sp ace", "id", ok_data},
      {"k\xc3\xa9", "id", ok_data}, {std::string(65, 'k'), "id", ok_data},
      {"k", "", ok_data},           {"k", std::string(257, 'i'), ok_data},
      {"k", nul_id, ok_data},       {"k", "id", std::string(kMaxDataBytes + 1, 'd')},
  };
  for (const Case& c : bad) {
    SCOPED_TRACE("kind=" + c.kind + " id size=" + std::to_string(c.id.size()));
    EXPECT_EQ(records().Create(c.kind, c.id, c.data, std::nullopt).status().code(),
              ErrorCode::kInvalidArgument);
    EXPECT_EQ(records().Get(c.kind, c.id).status().code(),
              c.data.size() > 1 ? ErrorCode::kNotFound : ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(records().List("k", "", 100)->empty());
  EXPECT_EQ(records().List("Bad", "", 10).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(records().List("k", "", 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(records().Delete("", "id").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(records().DeleteIfVersion("k", "", 1).code(), ErrorCode::kInvalidArgument);

  // An oversized CAS leaves the record as it was.
  ASSERT_TRUE(records().Create("k", "id", "small", std::nullopt).ok());
  EXPECT_EQ(records()
                .CompareAndSet("k", "id", 1, std::string(kMaxDataBytes + 1, 'd'), std::nullopt)
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(records().Get("k", "id")->version, 1);
}

TEST_P(RecordRepoConformance, LimitsThemselvesAreAccepted) {
  const std::string kind(64, 'z');
  const std::string id(256, 'i');
  const std::string data(kMaxDataBytes, 'd');
  ASSERT_TRUE(records().Create(kind, id, data, std::nullopt).ok());
  auto got = records().Get(kind, id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data, data);
  EXPECT_TRUE(records().Create("a_0", "x", "", std::nullopt).ok());
  EXPECT_EQ(records().Get("a_0", "x")->data, "");
}

TEST_P(RecordRepoConformance, IdsAndDataAreBinarySafe) {
  std::string every_byte_but_nul;
  for (int b = 1; b <= 0xff; ++b) every_byte_but_nul.push_back(static_cast<char>(b));
  std::string every_byte;
  for (int b = 0; b <= 0xff; ++b) every_byte.push_back(static_cast<char>(b));
  const std::vector<std::string> ids = {"it's \"quoted\"; DROP TABLE records; --",
                                        "\xe2\x9c\x93 unicode \xf0\x9f\x94\x91", every_byte_but_nul,
                                        "\xff\xfe", "%_*?\\"};
  for (const std::string& id : ids) {
    ASSERT_TRUE(records().Create("bin", id, every_byte + id, std::nullopt).ok());
  }
  for (const std::string& id : ids) {
    auto got = records().Get("bin", id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->id, id);
    EXPECT_EQ(got->data, every_byte + id);
  }
  auto all = records().List("bin", "", 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), ids.size());
  // A prefix of a stored id is a different key.
  EXPECT_EQ(records().Get("bin", "\xff").status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(records().CompareAndSet("bin", ids[2], 1, every_byte, std::nullopt).ok());
  EXPECT_EQ(records().Get("bin", ids[2])->data, every_byte);
}

}  // namespace
}  // namespace gatehouse::storage::testing
