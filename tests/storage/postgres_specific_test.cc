// PostgreSQL-only behaviour: migrations shared by nodes, schema version
// checks, and recovery from lost connections.

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "storage/migrations.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres_temp.h"

namespace gatehouse::storage::testing {
namespace {

class PostgresSpecificTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestPostgresUrl().empty()) GTEST_SKIP() << "GATEHOUSE_TEST_POSTGRES_URL is not set";
    schema_ = NewTempSchema();
    ASSERT_FALSE(schema_.empty());
  }
  void TearDown() override {
    if (!schema_.empty()) DropSchema(schema_);
  }

  PostgresOptions Options(bool apply) {
    PostgresOptions o;
    o.schema = schema_;
    o.apply_migrations = apply;
    o.pool_size = 4;
    o.application_name = schema_;  // so a test kills only its own connections
    return o;
  }
  Result<std::unique_ptr<Storage>> Open(bool apply) {
    return OpenPostgresStorage(TestPostgresUrl(), clock_, Options(apply));
  }
  // Runs SQL in the test schema on a separate admin connection.
  Status Admin(const std::string& sql) {
    auto conn = postgres::PgConnection::Open({TestPostgresUrl(), schema_});
    if (!conn.ok()) return conn.status();
    return (*conn)->ExecScript(sql);
  }

  FakeClock clock_{1'700'000'000};
  std::string schema_;
};

TEST_F(PostgresSpecificTest, OpenWithoutMigrationsRefusesAnEmptyDatabase) {
  auto opened = Open(/*apply=*/false);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(opened.status().message().find("gatehouse migrate"), std::string::npos)
      << opened.status().message();
}

TEST_F(PostgresSpecificTest, MigrateThenOpenAndMigrateAgainIsANoOp) {
  PostgresOptions o = Options(true);
  auto first = MigratePostgres(TestPostgresUrl(), o);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->first, 0);
  EXPECT_EQ(first->second, LatestSchemaVersion());
  auto again = MigratePostgres(TestPostgresUrl(), o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->first, LatestSchemaVersion());
  auto opened = Open(/*apply=*/false);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->SchemaVersion(), LatestSchemaVersion());
  EXPECT_NE((*opened)->Describe().find("postgresql://gatehouse@"), std::string::npos)
      << (*opened)->Describe();
}

TEST_F(PostgresSpecificTest, ConcurrentMigrationsApplyEachStepOnce) {
  std::vector<std::thread> threads;
  std::vector<Status> results(6);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back(
        [&, i] { results[i] = MigratePostgres(TestPostgresUrl(), Options(true)).status(); });
  }
  for (auto& t : threads) t.join();
  for (const auto& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  auto opened = Open(false);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  // One row per step: a doubly applied step would have failed on its CREATE TABLE.
  auto conn = postgres::PgConnection::Open({TestPostgresUrl(), schema_});
  ASSERT_TRUE(conn.ok());
  auto rows = (*conn)->Execute("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Int64(0, 0), LatestSchemaVersion());
}

TEST_F(PostgresSpecificTest, RefusesASchemaNewerThanThisBuild) {
  ASSERT_TRUE(MigratePostgres(TestPostgresUrl(), Options(true)).ok());
  const int future = LatestSchemaVersion() + 1;
  ASSERT_TRUE(Admin("INSERT INTO schema_migrations VALUES (" + std::to_string(future) +
                    ", 'from the future', 0)")
                  .ok());
  for (bool apply : {false, true}) {
    auto opened = Open(apply);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(opened.status().message().find("newer"), std::string::npos);
  }
  EXPECT_FALSE(MigratePostgres(TestPostgresUrl(), Options(true)).ok());
}

TEST_F(PostgresSpecificTest, UnreachableServerIsUnavailable) {
  PostgresOptions o = Options(true);
  o.connect_timeout = std::chrono::seconds(2);
  // Port 1 on loopback: nothing listens, the connect is refused at once.
  auto opened = OpenPostgresStorage("postgresql://gatehouse@127.0.0.1:1/x", clock_, o);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), ErrorCode::kUnavailable) << opened.status().ToString();
}

TEST_F(PostgresSpecificTest, TwoNodesShareSecretsAndRecords) {
  auto a = Open(true);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto b = Open(false);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto sa = (*a)->secrets().GetOrCreate("cookie_key", [] { return std::string("from-a"); });
  auto sb = (*b)->secrets().GetOrCreate("cookie_key", [] { return std::string("from-b"); });
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(*sa, "from-a");
  EXPECT_EQ(*sb, "from-a");
  auto created = (*a)->records().Create("code", "c1", "x", std::nullopt);
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE((*b)->records().DeleteIfVersion("code", "c1", 1).ok());
  EXPECT_EQ((*a)->records().DeleteIfVersion("code", "c1", 1).code(), ErrorCode::kNotFound);
}

// Every connection of the storage is killed server-side (as a server restart
// does); the next calls, reads and writes alike, succeed on fresh connections
// because dead idle connections are detected before use.
TEST_F(PostgresSpecificTest, RecoversFromKilledConnections) {
  auto opened = Open(true);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Storage& s = **opened;
  ASSERT_TRUE(s.records().Create("k", "a", "1", std::nullopt).ok());
  // Warm several pooled connections.
  std::vector<std::thread> warm;
  for (int i = 0; i < 4; ++i) warm.emplace_back([&] { (void)s.records().Get("k", "a"); });
  for (auto& t : warm) t.join();

  ASSERT_TRUE(Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                    "application_name = '" +
                    schema_ + "' AND pid <> pg_backend_pid()")
                  .ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the FATAL notices arrive

  auto written = s.records().CompareAndSet("k", "a", 1, "2", std::nullopt);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  auto read = s.records().Get("k", "a");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->data, "2");
  EXPECT_EQ(read->version, 2);
}

}  // namespace
}  // namespace gatehouse::storage::testing
