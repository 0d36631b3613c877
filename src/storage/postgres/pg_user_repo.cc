#include "storage/postgres/pg_user_repo.h"

#include <chrono>

namespace gatehouse::storage::postgres {
namespace {

using P = PgParam;

constexpr char kColumns[] =
    "user_id, connection, email, email_verified, username, name, nickname, given_name, "
    "family_name, picture, password_hash, user_metadata, app_metadata, blocked, created_at_ms, "
    "updated_at_ms, last_login_ms, last_ip, logins_count, last_password_reset_ms, "
    "credentials_epoch, version";

std::string Select(const std::string& where) {
  return std::string("SELECT ") + kColumns + " FROM users WHERE " + where;
}

UserRecord ReadUser(const PgResult& r, int row) {
  UserRecord u;
  u.user_id = r.Text(row, 0);
  u.connection = r.Text(row, 1);
  u.email = r.Text(row, 2);
  u.email_verified = r.Int64(row, 3) != 0;
  u.username = r.Text(row, 4);
  u.name = r.Text(row, 5);
  u.nickname = r.Text(row, 6);
  u.given_name = r.Text(row, 7);
  u.family_name = r.Text(row, 8);
  u.picture = r.Text(row, 9);
  u.password_hash = r.Text(row, 10);
  u.user_metadata = r.Text(row, 11);
  u.app_metadata = r.Text(row, 12);
  u.blocked = r.Int64(row, 13) != 0;
  u.created_at_ms = r.Int64(row, 14);
  u.updated_at_ms = r.Int64(row, 15);
  u.last_login_ms = r.OptionalInt64(row, 16);
  u.last_ip = r.Text(row, 17);
  u.logins_count = r.Int64(row, 18);
  u.last_password_reset_ms = r.OptionalInt64(row, 19);
  u.credentials_epoch = r.Int64(row, 20);
  u.version = r.Int64(row, 21);
  return u;
}

// $1..$19 of both INSERT and UPDATE: every mutable field, then now.
std::vector<PgParam> MutableParams(const UserRecord& u, int64_t now_ms) {
  return {P::Text(u.connection),
          P::Text(u.email),
          P::Text(FoldCase(u.email)),
          P::Int(u.email_verified ? 1 : 0),
          P::Text(u.username),
          P::Text(FoldCase(u.username)),
          P::Text(u.name),
          P::Text(FoldCase(u.name)),
          P::Text(u.nickname),
          P::Text(u.given_name),
          P::Text(u.family_name),
          P::Text(u.picture),
          P::Text(u.password_hash),
          P::Text(u.user_metadata),
          P::Text(u.app_metadata),
          P::Int(u.blocked ? 1 : 0),
          P::OptionalInt(u.last_password_reset_ms),
          P::Int(u.credentials_epoch),
          P::Int(now_ms)};
}

Status ValidateMutable(const UserRecord& u) {
  if (u.connection.empty()) return InvalidArgument("user connection is empty");
  if (u.email.empty()) return InvalidArgument("user email is empty");
  return Status::Ok();
}

// `q` as a LIKE pattern matching it literally anywhere (escape char '\').
std::string ContainsPattern(const std::string& q) {
  std::string out = "%";
  for (char c : FoldCase(q)) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

constexpr char kListWhere[] =
    "($1::text = '' OR connection = $1) AND ($2::text = '' OR email_fold LIKE $3 ESCAPE '\\' OR "
    "name_fold LIKE $3 ESCAPE '\\' OR username_fold LIKE $3 ESCAPE '\\')";
constexpr char kOrder[] = " ORDER BY created_at_ms, user_id COLLATE \"C\"";

}  // namespace

int64_t PgUserRepo::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Result<UserRecord> PgUserRepo::Create(const UserRecord& user) {
  if (user.user_id.empty()) return InvalidArgument("user_id is empty");
  GH_RETURN_IF_ERROR(ValidateMutable(user));
  const int64_t now = NowMs();
  auto params = MutableParams(user, now);
  params.push_back(P::Text(user.user_id));
  params.push_back(P::OptionalInt(user.last_login_ms));
  params.push_back(P::Text(user.last_ip));
  params.push_back(P::Int(user.logins_count));
  return pool_.Run<UserRecord>(Idempotent::kNo, [&](PgConnection& conn) -> Result<UserRecord> {
    auto r = conn.Execute(
        std::string("INSERT INTO users (connection, email, email_fold, email_verified, "
                    "username, username_fold, name, name_fold, nickname, given_name, "
                    "family_name, picture, password_hash, user_metadata, app_metadata, "
                    "blocked, last_password_reset_ms, credentials_epoch, created_at_ms, "
                    "updated_at_ms, user_id, last_login_ms, last_ip, logins_count, version) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                    "$16, $17, $18, $19, $19, $20, $21, $22, $23, 1) RETURNING ") +
            kColumns,
        params);
    if (!r.ok()) {
      if (r.status().code() == ErrorCode::kAlreadyExists) {
        return AlreadyExists("user id, email or username is taken");
      }
      return r.status();
    }
    if (r->rows() != 1) return Internal("insert returned no row");
    return ReadUser(*r, 0);
  });
}

Result<UserRecord> PgUserRepo::GetOne(const std::string& where,
                                      std::initializer_list<std::string> args) {
  std::vector<PgParam> params;
  for (const auto& a : args) params.push_back(P::Text(a));
  return pool_.Run<UserRecord>(Idempotent::kYes, [&](PgConnection& conn) -> Result<UserRecord> {
    GH_ASSIGN_OR_RETURN(auto r, conn.Execute(Select(where), params));
    if (r.rows() == 0) return NotFound("no such user");
    return ReadUser(r, 0);
  });
}

Result<UserRecord> PgUserRepo::Get(const std::string& user_id) {
  return GetOne("user_id = $1", {user_id});
}

Result<UserRecord> PgUserRepo::GetByEmail(const std::string& connection, const std::string& email) {
  return GetOne("connection = $1 AND email_fold = $2", {connection, FoldCase(email)});
}

Result<UserRecord> PgUserRepo::GetByUsername(const std::string& connection,
                                             const std::string& username) {
  if (username.empty()) return NotFound("no such user");
  return GetOne("connection = $1 AND username_fold = $2", {connection, FoldCase(username)});
}

Result<std::vector<UserRecord>> PgUserRepo::FindByEmail(const std::string& email) {
  using Out = std::vector<UserRecord>;
  return pool_.Run<Out>(Idempotent::kYes, [&](PgConnection& conn) -> Result<Out> {
    GH_ASSIGN_OR_RETURN(auto r, conn.Execute(Select(std::string("email_fold = $1") + kOrder),
                                             {P::Text(FoldCase(email))}));
    Out out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(ReadUser(r, i));
    return out;
  });
}

Result<UserPage> PgUserRepo::List(const UserQuery& query) {
  if (query.page < 0) return InvalidArgument("page must not be negative");
  if (query.per_page < 1 || query.per_page > 100) {
    return InvalidArgument("per_page must be within 1..100");
  }
  const std::vector<PgParam> where = {P::Text(query.connection), P::Text(query.q),
                                      P::Text(ContainsPattern(query.q))};
  return pool_.Run<UserPage>(Idempotent::kYes, [&](PgConnection& conn) -> Result<UserPage> {
    UserPage page;
    GH_RETURN_IF_ERROR(
        InPgTransaction(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&]() -> Status {
          GH_ASSIGN_OR_RETURN(
              auto c,
              conn.Execute(std::string("SELECT COUNT(*) FROM users WHERE ") + kListWhere, where));
          if (c.rows() == 1) page.total = c.Int64(0, 0);
          auto params = where;
          params.push_back(P::Int(query.per_page));
          params.push_back(P::Int(static_cast<int64_t>(query.page) * query.per_page));
          GH_ASSIGN_OR_RETURN(
              auto r, conn.Execute(Select(std::string(kListWhere) + kOrder + " LIMIT $4 OFFSET $5"),
                                   params));
          for (int i = 0; i < r.rows(); ++i) page.users.push_back(ReadUser(r, i));
          return Status::Ok();
        }));
    return page;
  });
}

Result<UserRecord> PgUserRepo::Update(const UserRecord& user, int64_t expected_version) {
  GH_RETURN_IF_ERROR(ValidateMutable(user));
  auto params = MutableParams(user, NowMs());
  params.push_back(P::Text(user.user_id));
  params.push_back(P::Int(expected_version));
  return pool_.Run<UserRecord>(Idempotent::kNo, [&](PgConnection& conn) -> Result<UserRecord> {
    auto r = conn.Execute(std::string("UPDATE users SET connection = $1, email = $2, "
                                      "email_fold = $3, email_verified = $4, username = $5, "
                                      "username_fold = $6, name = $7, name_fold = $8, "
                                      "nickname = $9, given_name = $10, family_name = $11, "
                                      "picture = $12, password_hash = $13, user_metadata = $14, "
                                      "app_metadata = $15, blocked = $16, "
                                      "last_password_reset_ms = $17, credentials_epoch = $18, "
                                      "updated_at_ms = $19, version = version + 1 "
                                      "WHERE user_id = $20 AND version = $21 RETURNING ") +
                              kColumns,
                          params);
    if (!r.ok()) {
      if (r.status().code() == ErrorCode::kAlreadyExists) {
        return AlreadyExists("email or username is taken");
      }
      return r.status();
    }
    if (r->rows() == 1) return ReadUser(*r, 0);
    GH_ASSIGN_OR_RETURN(auto v, conn.Execute("SELECT version FROM users WHERE user_id = $1",
                                             {P::Text(user.user_id)}));
    if (v.rows() == 0) return NotFound("no such user");
    return Conflict("user is at version " + std::to_string(v.Int64(0, 0)));
  });
}

Result<UserRecord> PgUserRepo::RecordLogin(const std::string& user_id, const std::string& ip) {
  const int64_t now = NowMs();
  return pool_.Run<UserRecord>(Idempotent::kNo, [&](PgConnection& conn) -> Result<UserRecord> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute(std::string("UPDATE users SET logins_count = logins_count + 1, "
                                         "last_login_ms = $2, updated_at_ms = $2, last_ip = $3 "
                                         "WHERE user_id = $1 RETURNING ") +
                                 kColumns,
                             {P::Text(user_id), P::Int(now), P::Text(ip)}));
    if (r.rows() == 0) return NotFound("no such user");
    return ReadUser(r, 0);
  });
}

Status PgUserRepo::Delete(const std::string& user_id) {
  auto done = pool_.Run<bool>(Idempotent::kNo, [&](PgConnection& conn) -> Result<bool> {
    GH_ASSIGN_OR_RETURN(auto r,
                        conn.Execute("DELETE FROM users WHERE user_id = $1", {P::Text(user_id)}));
    if (r.affected() == 0) return NotFound("no such user");
    return true;
  });
  return done.status();
}

}  // namespace gatehouse::storage::postgres
