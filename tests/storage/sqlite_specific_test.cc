// What the conformance suite cannot see through the interface: the file on
// disk (reopen, schema versions, pragmas, locking) and crash durability.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "storage/migrations.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_storage.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::storage::testing {
namespace {

// A raw handle for looking at (or tampering with) the file behind the backend.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  // The first column of the first row as text ("" when no row).
  std::string Query(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStorageTest : public ::testing::Test {
 protected:
  void TearDown() override { RemoveDbFiles(path_); }

  std::unique_ptr<Storage> Open(SqliteOptions options = {}) {
    auto s = OpenSqliteStorage(path_, clock_, options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  FakeClock clock_;
  std::string path_ = NewTempDbPath();
};

TEST_F(SqliteStorageTest, DataSurvivesReopen) {
  std::string secret;
  {
    auto s = Open();
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->records().Create("transaction", "t1", "payload", std::nullopt).ok());
    ASSERT_TRUE(s->records().CompareAndSet("transaction", "t1", 1, "moved", std::nullopt).ok());
    SigningKeyRecord key;
    key.kid = "k1";
    key.alg = "ES256";
    key.private_pem = "pem";
    key.public_jwk = "{}";
    key.created_at = 42;
    ASSERT_TRUE(s->signing_keys().Insert(key).ok());
    secret = *s->secrets().GetOrCreate("cookie", [] { return std::string("s3cret"); });
  }
  auto s = Open();
  ASSERT_NE(s, nullptr);
  auto r = s->records().Get("transaction", "t1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data, "moved");
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(s->signing_keys().Get("k1")->created_at, 42);
  EXPECT_EQ(*s->secrets().GetOrCreate("cookie", [] { return std::string("new"); }), secret);
  EXPECT_EQ(s->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(s->Describe(), "sqlite:" + path_);
}

TEST_F(SqliteStorageTest, ReopenDoesNotReapplyMigrations) {
  { ASSERT_NE(Open(), nullptr); }
  { ASSERT_NE(Open(), nullptr); }
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(SchemaMigrations().size()));
  EXPECT_EQ(raw.Query("SELECT description FROM schema_migrations WHERE version = 1"),
            std::string(SchemaMigrations()[0].description));
}

TEST_F(SqliteStorageTest, ConcurrentFirstOpenersApplyEachStepOnce) {
  constexpr int kOpeners = 6;
  std::vector<std::thread> threads;
  threads.reserve(kOpeners);
  std::vector<int> ok(kOpeners, 0);
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto s = OpenSqliteStorage(path_, clock_);
      ok[i] = s.ok() && (*s)->SchemaVersion() == LatestSchemaVersion();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kOpeners; ++i) EXPECT_EQ(ok[i], 1) << "opener " << i;
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(SchemaMigrations().size()));
}

TEST_F(SqliteStorageTest, ConcurrentFirstOpenersInSeparateProcessesApplyEachStepOnce) {
  constexpr int kProcesses = 4;
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(go[1]);
      char c;
      if (read(go[0], &c, 1) != 0) _exit(9);  // wait until the parent closes: all start together
      FakeClock clock;
      auto s = OpenSqliteStorage(path_, clock);
      if (!s.ok()) std::fprintf(stderr, "child: %s\n", s.status().ToString().c_str());
      _exit(s.ok() && (*s)->SchemaVersion() == LatestSchemaVersion() ? 0 : 1);
    }
    children.push_back(pid);
  }
  close(go[0]);
  close(go[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(SchemaMigrations().size()));
}

TEST_F(SqliteStorageTest, NewerSchemaIsRefused) {
  { ASSERT_NE(Open(), nullptr); }
  const int future = LatestSchemaVersion() + 1;
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec("INSERT INTO schema_migrations (version, description, applied_at) VALUES (" +
                       std::to_string(future) + ", 'from the future', 0)"),
              SQLITE_OK);
  }
  auto s = OpenSqliteStorage(path_, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find(std::to_string(future)), std::string::npos);
}

TEST_F(SqliteStorageTest, UnopenablePathIsAnError) {
  FakeClock clock;
  auto s = OpenSqliteStorage("/nonexistent-gatehouse-dir/sub/x.db", clock);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kInternal);
  EXPECT_EQ(OpenSqliteStorage("", clock).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SqliteStorageTest, NotADatabaseIsAnError) {
  {
    FILE* f = std::fopen(path_.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not a sqlite database, just some text long enough to have a header....", f);
    std::fclose(f);
  }
  auto s = OpenSqliteStorage(path_, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kInternal);
}

TEST_F(SqliteStorageTest, ConnectionsUseWalAndFullSync) {
  { ASSERT_NE(Open(), nullptr); }
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "wal");  // persistent in the file
  // synchronous and foreign_keys are per connection: check one the backend opens.
  auto conn = sqlite::Connection::Open(path_, std::chrono::milliseconds(100));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  for (auto [pragma, want] :
       {std::pair{"PRAGMA synchronous", 2},  // 2 == FULL
        std::pair{"PRAGMA foreign_keys", 1}, std::pair{"PRAGMA busy_timeout", 100}}) {
    auto stmt = (*conn)->Prepare(pragma);
    ASSERT_TRUE(stmt.ok());
    ASSERT_TRUE(*stmt->Step());
    EXPECT_EQ(stmt->ColumnInt64(0), want) << pragma;
  }
}

TEST_F(SqliteStorageTest, LockHeldPastBusyTimeoutIsUnavailable) {
  SqliteOptions options;
  options.busy_timeout = std::chrono::milliseconds(50);
  auto s = Open(options);
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->records().Create("k", "before", "x", std::nullopt).ok());
  RawDb other_process(path_);
  ASSERT_EQ(other_process.Exec("BEGIN IMMEDIATE"), SQLITE_OK);
  auto blocked = s->records().Create("k", "during", "x", std::nullopt);
  EXPECT_EQ(blocked.status().code(), ErrorCode::kUnavailable) << blocked.status().ToString();
  // Readers are not blocked by a writer in WAL mode.
  EXPECT_TRUE(s->records().Get("k", "before").ok());
  ASSERT_EQ(other_process.Exec("ROLLBACK"), SQLITE_OK);
  EXPECT_TRUE(s->records().Create("k", "during", "x", std::nullopt).ok());
}

TEST_F(SqliteStorageTest, CommitSurvivesExitWithoutClose) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    FakeClock clock;
    auto s = OpenSqliteStorage(path_, clock);
    if (!s.ok()) _exit(2);
    bool ok = (*s)->records().Create("code", "durable", "committed", std::nullopt).ok();
    _exit(ok ? 0 : 3);  // no destructors, no sqlite3_close: like a crash
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto s = Open();
  ASSERT_NE(s, nullptr);
  auto r = s->records().Get("code", "durable");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data, "committed");
}

// A child process keeps writing and reports every acknowledged version; the
// parent kills it with SIGKILL at an arbitrary point and reopens the file.
void ExpectAcknowledgedWritesSurviveSigkill(const std::string& path, SqliteOptions options) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    FakeClock clock;
    auto s = OpenSqliteStorage(path, clock, options);
    if (!s.ok()) _exit(2);
    auto& records = (*s)->records();
    if (!records.Create("transaction", "t", "0", std::nullopt).ok()) _exit(3);
    // Keep writing; after each success tell the parent which version is
    // committed. The parent kills us at an arbitrary point.
    for (int64_t v = 1;; ++v) {
      if (!records.CompareAndSet("transaction", "t", v, std::to_string(v), std::nullopt).ok()) {
        _exit(4);
      }
      int64_t acked = v + 1;
      if (write(pipe_fds[1], &acked, sizeof acked) != sizeof acked) _exit(5);
    }
  }
  close(pipe_fds[1]);
  int64_t acked = 0;
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(read(pipe_fds[0], &acked, sizeof acked), static_cast<ssize_t>(sizeof acked));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  // Drain acks written before the kill landed: the newest is the floor.
  int64_t more = 0;
  while (read(pipe_fds[0], &more, sizeof more) == static_cast<ssize_t>(sizeof more)) acked = more;
  close(pipe_fds[0]);

  FakeClock clock;
  auto s = OpenSqliteStorage(path, clock);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto r = (*s)->records().Get("transaction", "t");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(r->version, acked);
  EXPECT_LE(r->version, acked + 1);  // at most the one write in flight
  EXPECT_EQ(r->data, std::to_string(r->version - 1));
}

TEST_F(SqliteStorageTest, AcknowledgedWritesSurviveSigkill) {
  ExpectAcknowledgedWritesSurviveSigkill(path_, {});
}

// Group commit (the server): a commit is in the OS when it returns, so kill -9
// loses nothing even before the WAL sync.
TEST_F(SqliteStorageTest, AcknowledgedWritesSurviveSigkillWithGroupCommit) {
  ExpectAcknowledgedWritesSurviveSigkill(
      path_, {.group_commit = true, .sync_sweep = std::chrono::hours(1)});
}

TEST_F(SqliteStorageTest, GroupCommitConnectionsUseNormalSync) {
  auto conn =
      sqlite::Connection::Open(path_, std::chrono::milliseconds(100), /*durable_commits=*/false);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  auto stmt = (*conn)->Prepare("PRAGMA synchronous");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->ColumnInt64(0), 1);  // 1 == NORMAL
}

}  // namespace
}  // namespace gatehouse::storage::testing
