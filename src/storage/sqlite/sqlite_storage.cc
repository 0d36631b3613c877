#include "storage/sqlite/sqlite_storage.h"

#include "storage/migrations.h"
#include "storage/record_rule_repo.h"
#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/migrator.h"
#include "storage/sqlite/sqlite_log_repo.h"
#include "storage/sqlite/sqlite_record_repo.h"
#include "storage/sqlite/sqlite_secret_repo.h"
#include "storage/sqlite/sqlite_signing_key_repo.h"
#include "storage/sqlite/sqlite_user_repo.h"
#include "storage/sqlite/wal_syncer.h"

namespace gatehouse::storage {
namespace {

class SqliteStorage final : public Storage {
 public:
  SqliteStorage(const std::string& path, Clock& clock, const SqliteOptions& options)
      : path_(path),
        pool_(path, options.busy_timeout, options.max_connections, !options.group_commit),
        records_(pool_, clock),
        secrets_(pool_, clock),
        signing_keys_(pool_, clock),
        users_(pool_, clock),
        logs_(pool_, clock),
        rules_(CreateRecordRuleRepo(records_, clock)) {}

  sqlite::ConnectionPool& pool() { return pool_; }
  void SetSyncer(std::unique_ptr<sqlite::WalSyncer> syncer) { syncer_ = std::move(syncer); }

  SigningKeyRepo& signing_keys() override { return signing_keys_; }
  SecretRepo& secrets() override { return secrets_; }
  RecordRepo& records() override { return records_; }
  UserRepo& users() override { return users_; }
  RuleRepo& rules() override { return *rules_; }
  LogRepo& logs() override { return logs_; }

  int SchemaVersion() override {
    auto conn = pool_.Read();
    if (!conn.ok()) return -1;
    auto v = sqlite::AppliedSchemaVersion(**conn);
    return v.ok() ? *v : -1;
  }
  int LatestSchemaVersion() const override { return storage::LatestSchemaVersion(); }
  std::string Describe() const override { return "sqlite:" + path_; }
  bool ChangesDurable() override { return !syncer_ || syncer_->AllSynced(); }
  void WhenChangesDurable(std::function<void()> done) override {
    if (!syncer_) return done();
    syncer_->WhenSynced(std::move(done));
  }

 private:
  const std::string path_;
  sqlite::ConnectionPool pool_;
  sqlite::SqliteRecordRepo records_;
  sqlite::SqliteSecretRepo secrets_;
  sqlite::SqliteSigningKeyRepo signing_keys_;
  sqlite::SqliteUserRepo users_;
  sqlite::SqliteLogRepo logs_;
  std::unique_ptr<RuleRepo> rules_;  // over records_
  // Declared last: stops (with a final sync) before the repos and the pool go.
  std::unique_ptr<sqlite::WalSyncer> syncer_;
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& path, Clock& clock,
                                                   SqliteOptions options) {
  if (path.empty()) return InvalidArgument("sqlite path is empty");
  GH_ASSIGN_OR_RETURN(auto conn,
                      sqlite::Connection::Open(path, options.busy_timeout, !options.group_commit));
  GH_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, clock));
  auto storage = std::make_unique<SqliteStorage>(path, clock, options);
  // The pool never closes a connection, so this one keeps the WAL file (which
  // the syncer holds open) from being deleted while the storage lives.
  storage->pool().Donate(std::move(conn));
  if (options.group_commit) {
    GH_ASSIGN_OR_RETURN(auto syncer,
                        sqlite::WalSyncer::Start(storage->pool(), path, options.sync_sweep));
    storage->SetSyncer(std::move(syncer));
  }
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace gatehouse::storage
