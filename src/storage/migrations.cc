#include "storage/migrations.h"

namespace gatehouse::storage {
namespace {

// Record ids, record data and secret values are byte strings (the contract
// allows any byte but NUL in ids and any byte in data), so they are binary
// columns, compared bytewise: List's "id order" is byte order on every backend.
constexpr Migration kMigrations[] = {
    {1, "records, secrets, signing keys",
     R"sql(
CREATE TABLE records (
  kind TEXT NOT NULL,
  id ${BYTES} NOT NULL,
  data ${BYTES} NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT,
  PRIMARY KEY (kind, id)
);
CREATE INDEX records_expires_at ON records (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE secrets (
  name TEXT NOT NULL PRIMARY KEY,
  value ${BYTES} NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE signing_keys (
  kid TEXT NOT NULL PRIMARY KEY,
  alg TEXT NOT NULL,
  private_pem TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX signing_keys_created_at ON signing_keys (created_at, kid);
)sql"},
    // Users (user_repo.h). The *_fold columns hold FoldCase() copies: unique
    // and searched on those, so case-insensitivity is the same on every backend.
    {2, "users",
     R"sql(
CREATE TABLE users (
  user_id TEXT NOT NULL PRIMARY KEY,
  connection TEXT NOT NULL,
  email TEXT NOT NULL,
  email_fold TEXT NOT NULL,
  email_verified INTEGER NOT NULL,
  username TEXT NOT NULL,
  username_fold TEXT NOT NULL,
  name TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  nickname TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  picture TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  user_metadata TEXT NOT NULL,
  app_metadata TEXT NOT NULL,
  blocked INTEGER NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  last_login_ms BIGINT,
  last_ip TEXT NOT NULL,
  logins_count BIGINT NOT NULL,
  last_password_reset_ms BIGINT,
  credentials_epoch BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_connection_email ON users (connection, email_fold);
CREATE UNIQUE INDEX users_connection_username ON users (connection, username_fold)
  WHERE username_fold <> '';
CREATE INDEX users_email ON users (email_fold);
CREATE INDEX users_created ON users (created_at_ms, user_id);
)sql"},
    // Tenant log events (log_repo.h). log_id is time-ordered, so newest-first
    // paging walks the primary key; the filters each have an index.
    {3, "tenant logs",
     R"sql(
CREATE TABLE logs (
  log_id TEXT NOT NULL PRIMARY KEY,
  date_ms BIGINT NOT NULL,
  type TEXT NOT NULL,
  description TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_name TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  hostname TEXT NOT NULL,
  connection TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX logs_type ON logs (type, log_id);
CREATE INDEX logs_user_id ON logs (user_id, log_id);
CREATE INDEX logs_client_id ON logs (client_id, log_id);
CREATE INDEX logs_date ON logs (date_ms);
)sql"},
};

}  // namespace

std::span<const Migration> SchemaMigrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

std::string RenderMigrationSql(std::string_view sql, std::string_view bytes_type) {
  constexpr std::string_view kPlaceholder = "${BYTES}";
  std::string out;
  out.reserve(sql.size());
  size_t pos = 0;
  while (true) {
    size_t hit = sql.find(kPlaceholder, pos);
    if (hit == std::string_view::npos) break;
    out.append(sql.substr(pos, hit - pos));
    out.append(bytes_type);
    pos = hit + kPlaceholder.size();
  }
  out.append(sql.substr(pos));
  return out;
}

}  // namespace gatehouse::storage
