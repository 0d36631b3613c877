#include "storage/postgres_temp.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "storage/postgres/pg_connection.h"

namespace gatehouse::storage::testing {
namespace {

// Owns the schema: closes the real storage, then drops the schema.
class TempSchemaStorage final : public Storage {
 public:
  TempSchemaStorage(std::unique_ptr<Storage> inner, std::string schema)
      : inner_(std::move(inner)), schema_(std::move(schema)) {}
  ~TempSchemaStorage() override {
    inner_.reset();
    DropSchema(schema_);
  }
  SigningKeyRepo& signing_keys() override { return inner_->signing_keys(); }
  SecretRepo& secrets() override { return inner_->secrets(); }
  RecordRepo& records() override { return inner_->records(); }
  UserRepo& users() override { return inner_->users(); }
  RuleRepo& rules() override { return inner_->rules(); }
  LogRepo& logs() override { return inner_->logs(); }
  int SchemaVersion() override { return inner_->SchemaVersion(); }
  int LatestSchemaVersion() const override { return inner_->LatestSchemaVersion(); }
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::unique_ptr<Storage> inner_;
  std::string schema_;
};

Status Admin(const std::string& sql) {
  GH_ASSIGN_OR_RETURN(auto conn, postgres::PgConnection::Open({TestPostgresUrl(), ""}));
  return conn->ExecScript(sql);
}

void Skip() {
  GTEST_SKIP() << "GATEHOUSE_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)";
}

}  // namespace

std::string TestPostgresUrl() {
  const char* url = std::getenv("GATEHOUSE_TEST_POSTGRES_URL");
  return url ? url : "";
}

std::string NewTempSchema() {
  static std::atomic<int> counter{0};
  std::string schema = "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  Status s = Admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  if (!s.ok()) {
    ADD_FAILURE() << "CREATE SCHEMA " << schema << ": " << s.ToString();
    return "";
  }
  return schema;
}

void DropSchema(const std::string& schema) {
  Status s = Admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  if (!s.ok()) ADD_FAILURE() << "DROP SCHEMA " << schema << ": " << s.ToString();
}

std::unique_ptr<Storage> OpenTempPostgres(Clock& clock) {
  if (TestPostgresUrl().empty()) {
    Skip();
    return nullptr;
  }
  std::string schema = NewTempSchema();
  if (schema.empty()) return nullptr;
  PostgresOptions options;
  options.schema = schema;
  options.apply_migrations = true;
  auto opened = OpenPostgresStorage(TestPostgresUrl(), clock, options);
  if (!opened.ok()) {
    ADD_FAILURE() << "OpenPostgresStorage: " << opened.status().ToString();
    DropSchema(schema);
    return nullptr;
  }
  return std::make_unique<TempSchemaStorage>(std::move(opened).value(), schema);
}

}  // namespace gatehouse::storage::testing
