#include "storage/postgres/postgres_storage.h"

#include "storage/migrations.h"
#include "storage/postgres/pg_connection_pool.h"
#include "storage/postgres/pg_log_repo.h"
#include "storage/postgres/pg_migrator.h"
#include "storage/postgres/pg_record_repo.h"
#include "storage/postgres/pg_secret_repo.h"
#include "storage/postgres/pg_signing_key_repo.h"
#include "storage/postgres/pg_user_repo.h"
#include "storage/record_rule_repo.h"

namespace gatehouse::storage {
namespace {

using postgres::PgConnection;
using postgres::PgConnectionPool;
using postgres::PgConnectOptions;

PgConnectOptions ConnectOptions(const std::string& url, const PostgresOptions& options) {
  return PgConnectOptions{url, options.schema, options.application_name, options.connect_timeout};
}

// "postgresql://user@host:port/db" without the password, for logs.
std::string DescribeConnection(PgConnection& conn, const std::string& schema) {
  auto r = conn.Execute(
      "SELECT current_user, COALESCE(inet_server_addr()::text, 'local'), "
      "COALESCE(inet_server_port(), 0), current_database()");
  if (!r.ok() || r->rows() != 1) return "postgresql";
  std::string host = r->Text(0, 1);
  if (auto slash = host.find('/'); slash != std::string::npos) host.resize(slash);
  std::string out =
      "postgresql://" + r->Text(0, 0) + "@" + host + ":" + r->Text(0, 2) + "/" + r->Text(0, 3);
  if (!schema.empty()) out += " (schema " + schema + ")";
  return out;
}

class PostgresStorage final : public Storage {
 public:
  PostgresStorage(const std::string& url, Clock& clock, const PostgresOptions& options,
                  std::string description)
      : description_(std::move(description)),
        pool_(ConnectOptions(url, options), options.pool_size, options.acquire_timeout),
        records_(pool_, clock),
        secrets_(pool_, clock),
        signing_keys_(pool_, clock),
        users_(pool_, clock),
        logs_(pool_, clock),
        rules_(CreateRecordRuleRepo(records_, clock)) {}

  SigningKeyRepo& signing_keys() override { return signing_keys_; }
  SecretRepo& secrets() override { return secrets_; }
  RecordRepo& records() override { return records_; }
  UserRepo& users() override { return users_; }
  RuleRepo& rules() override { return *rules_; }
  LogRepo& logs() override { return logs_; }

  int SchemaVersion() override {
    auto v = pool_.Run<int>(postgres::Idempotent::kYes, [](PgConnection& conn) {
      return postgres::AppliedPgSchemaVersion(conn);
    });
    return v.ok() ? *v : -1;
  }
  int LatestSchemaVersion() const override { return storage::LatestSchemaVersion(); }
  std::string Describe() const override { return description_; }

 private:
  const std::string description_;
  PgConnectionPool pool_;
  postgres::PgRecordRepo records_;
  postgres::PgSecretRepo secrets_;
  postgres::PgSigningKeyRepo signing_keys_;
  postgres::PgUserRepo users_;
  postgres::PgLogRepo logs_;
  std::unique_ptr<RuleRepo> rules_;  // over records_
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenPostgresStorage(const std::string& url, Clock& clock,
                                                     PostgresOptions options) {
  if (url.empty()) return InvalidArgument("postgresql url is empty");
  GH_ASSIGN_OR_RETURN(auto conn, PgConnection::Open(ConnectOptions(url, options)));
  if (options.apply_migrations) {
    GH_RETURN_IF_ERROR(postgres::ApplyPgMigrations(*conn, clock).status());
  } else {
    GH_ASSIGN_OR_RETURN(int applied, postgres::AppliedPgSchemaVersion(*conn));
    const int latest = storage::LatestSchemaVersion();
    if (applied > latest) {
      return InvalidArgument("database schema version " + std::to_string(applied) +
                             " is newer than this build knows (" + std::to_string(latest) +
                             "); run a newer gatehouse or restore a matching backup");
    }
    if (applied < latest) {
      return InvalidArgument("database schema version " + std::to_string(applied) +
                             " is older than this build's " + std::to_string(latest) +
                             "; run `gatehouse migrate` first");
    }
  }
  std::string description = DescribeConnection(*conn, options.schema);
  return std::unique_ptr<Storage>(
      std::make_unique<PostgresStorage>(url, clock, options, std::move(description)));
}

Result<std::pair<int, int>> MigratePostgres(const std::string& url, PostgresOptions options) {
  if (url.empty()) return InvalidArgument("postgresql url is empty");
  GH_ASSIGN_OR_RETURN(auto conn, PgConnection::Open(ConnectOptions(url, options)));
  GH_ASSIGN_OR_RETURN(int before, postgres::ApplyPgMigrations(*conn, Clock::System()));
  GH_ASSIGN_OR_RETURN(int after, postgres::AppliedPgSchemaVersion(*conn));
  return std::make_pair(before, after);
}

}  // namespace gatehouse::storage
