// /api/v2/logs: filters, paging, token exchange events, retention purge.

#include "mgmt/mgmt_fixture.h"

namespace gatehouse::mgmt::testing {
namespace {

class MgmtLogsTest : public MgmtTest {};

TEST_F(MgmtLogsTest, TokenExchangesAreLogged) {
  // SetUp obtained the admin token: one "seccft".
  auto r = Api("GET", "/api/v2/logs?q=" + http::UrlEncode("type:\"seccft\""));
  ASSERT_EQ(r.status, 200) << r.body;
  auto logs = Body(r);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0]["client_id"], last_client_id_);
  EXPECT_EQ(logs[0]["date"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(logs[0]["details"]["grant_type"], "client_credentials");
  auto one = Api("GET", "/api/v2/logs/" + logs[0]["log_id"].get<std::string>());
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Body(one)["type"], "seccft");
  ExpectError(Api("GET", "/api/v2/logs/nope"), 404, "inexistent_log");

  auto bad = Raw("POST", "/oauth/token",
                 "grant_type=client_credentials&client_id=" + last_client_id_ +
                     "&client_secret=wrong&audience=" + http::UrlEncode(kAudience),
                 {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(bad.status, 401);
  auto failed = Body(Api("GET", "/api/v2/logs?q=type:feccft"));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]["client_id"], last_client_id_);
}

TEST_F(MgmtLogsTest, FiltersPagingAndCheckpoints) {
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(std::chrono::hours(1));
    storage::LogEvent e;
    e.type = i % 2 ? "f" : "s";
    e.user_id = "auth0|u" + std::to_string(i % 2);
    e.client_id = "c1";
    ASSERT_TRUE(storage_->logs().Append(e).ok());
  }
  EXPECT_EQ(Body(Api("GET", "/api/v2/logs?q=" + http::UrlEncode("type:s AND user_id:\"auth0|u0\"")))
                .size(),
            3u);
  EXPECT_EQ(Body(Api("GET", "/api/v2/logs?q=" + http::UrlEncode("client_id:c1"))).size(), 5u);
  EXPECT_EQ(Body(Api("GET", "/api/v2/logs?q=" +
                                http::UrlEncode(
                                    "date:[2023-11-15T00:00:00Z TO 2023-11-15T01:59:59.999Z]")))
                .size(),
            2u);
  auto totals = Body(Api("GET", "/api/v2/logs?per_page=2&page=0&include_totals=true"));
  EXPECT_EQ(totals["logs"].size(), 2u);
  EXPECT_EQ(totals["total"], 6);  // + the token exchange of SetUp
  auto first = Body(Api("GET", "/api/v2/logs?take=3"));
  ASSERT_EQ(first.size(), 3u);
  auto next =
      Body(Api("GET", "/api/v2/logs?take=10&from=" + first[2]["log_id"].get<std::string>()));
  EXPECT_EQ(next.size(), 3u);
  ExpectError(Api("GET", "/api/v2/logs?q=" + http::UrlEncode("ip:1.2.3.4")), 400,
              "invalid_query_string");
  ExpectError(Api("GET", "/api/v2/logs?per_page=0"), 400, "invalid_query_string");
}

TEST_F(MgmtLogsTest, RetentionPurgesOldEvents) {
  clock_.Advance(std::chrono::hours(24 * 31));
  storage::LogEvent recent;
  recent.type = "s";
  ASSERT_TRUE(storage_->logs().Append(recent).ok());
  auto purged = PurgeOldLogs(storage_->logs(), clock_, 30, 1000);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);  // the token exchange of SetUp, 31 days old
  EXPECT_EQ(*PurgeOldLogs(storage_->logs(), clock_, 0, 1000), 0);
  EXPECT_EQ(storage_->logs().Query({})->total, 1);
}

}  // namespace
}  // namespace gatehouse::mgmt::testing
