#include "storage/sqlite/sqlite_user_repo.h"

#include <chrono>

namespace gatehouse::storage::sqlite {
namespace {

constexpr char kColumns[] =
    "user_id, connection, email, email_verified, username, name, nickname, given_name, "
    "family_name, picture, password_hash, user_metadata, app_metadata, blocked, created_at_ms, "
    "updated_at_ms, last_login_ms, last_ip, logins_count, last_password_reset_ms, "
    "credentials_epoch, version";

std::string Select(const std::string& where) {
  return std::string("SELECT ") + kColumns + " FROM users WHERE " + where;
}

UserRecord ReadUser(const Statement& s) {
  UserRecord u;
  u.user_id = s.ColumnBytes(0);
  u.connection = s.ColumnBytes(1);
  u.email = s.ColumnBytes(2);
  u.email_verified = s.ColumnInt64(3) != 0;
  u.username = s.ColumnBytes(4);
  u.name = s.ColumnBytes(5);
  u.nickname = s.ColumnBytes(6);
  u.given_name = s.ColumnBytes(7);
  u.family_name = s.ColumnBytes(8);
  u.picture = s.ColumnBytes(9);
  u.password_hash = s.ColumnBytes(10);
  u.user_metadata = s.ColumnBytes(11);
  u.app_metadata = s.ColumnBytes(12);
  u.blocked = s.ColumnInt64(13) != 0;
  u.created_at_ms = s.ColumnInt64(14);
  u.updated_at_ms = s.ColumnInt64(15);
  u.last_login_ms = s.ColumnOptionalInt64(16);
  u.last_ip = s.ColumnBytes(17);
  u.logins_count = s.ColumnInt64(18);
  u.last_password_reset_ms = s.ColumnOptionalInt64(19);
  u.credentials_epoch = s.ColumnInt64(20);
  u.version = s.ColumnInt64(21);
  return u;
}

// Parameters ?1..?19 of both INSERT and UPDATE: every mutable field, then now.
void BindMutable(Statement& s, const UserRecord& u, int64_t now_ms) {
  s.BindText(1, u.connection);
  s.BindText(2, u.email);
  s.BindText(3, FoldCase(u.email));
  s.BindInt64(4, u.email_verified ? 1 : 0);
  s.BindText(5, u.username);
  s.BindText(6, FoldCase(u.username));
  s.BindText(7, u.name);
  s.BindText(8, FoldCase(u.name));
  s.BindText(9, u.nickname);
  s.BindText(10, u.given_name);
  s.BindText(11, u.family_name);
  s.BindText(12, u.picture);
  s.BindText(13, u.password_hash);
  s.BindText(14, u.user_metadata);
  s.BindText(15, u.app_metadata);
  s.BindInt64(16, u.blocked ? 1 : 0);
  s.BindOptionalInt64(17, u.last_password_reset_ms);
  s.BindInt64(18, u.credentials_epoch);
  s.BindInt64(19, now_ms);
}

Status ValidateMutable(const UserRecord& u) {
  if (u.connection.empty()) return InvalidArgument("user connection is empty");
  if (u.email.empty()) return InvalidArgument("user email is empty");
  return Status::Ok();
}

bool IsConstraintViolation(const Statement& s) { return (s.last_rc() & 0xff) == SQLITE_CONSTRAINT; }

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
    "(?1 = '' OR connection = ?1) AND (?2 = '' OR email_fold LIKE ?3 ESCAPE '\\' OR "
    "name_fold LIKE ?3 ESCAPE '\\' OR username_fold LIKE ?3 ESCAPE '\\')";

void BindListWhere(Statement& s, const UserQuery& q) {
  s.BindText(1, q.connection);
  s.BindText(2, q.q);
  s.BindText(3, ContainsPattern(q.q));
}

}  // namespace

int64_t SqliteUserRepo::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Result<UserRecord> SqliteUserRepo::Create(const UserRecord& user) {
  if (user.user_id.empty()) return InvalidArgument("user_id is empty");
  GH_RETURN_IF_ERROR(ValidateMutable(user));
  const int64_t now = NowMs();
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  GH_ASSIGN_OR_RETURN(
      auto s, conn->Prepare(
                  std::string("INSERT INTO users (connection, email, email_fold, email_verified, "
                              "username, username_fold, name, name_fold, nickname, given_name, "
                              "family_name, picture, password_hash, user_metadata, app_metadata, "
                              "blocked, last_password_reset_ms, credentials_epoch, "
                              "created_at_ms, updated_at_ms, user_id, last_login_ms, last_ip, "
                              "logins_count, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                              "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?20, ?21, "
                              "?22, ?23, 1) RETURNING ") +
                  kColumns));
  BindMutable(s, user, now);
  s.BindText(20, user.user_id);
  s.BindOptionalInt64(21, user.last_login_ms);
  s.BindText(22, user.last_ip);
  s.BindInt64(23, user.logins_count);
  auto row = s.Step();
  if (!row.ok()) {
    if (IsConstraintViolation(s)) return AlreadyExists("user id, email or username is taken");
    return row.status();
  }
  if (!*row) return Internal("insert returned no row");
  UserRecord out = ReadUser(s);
  GH_RETURN_IF_ERROR(s.Run());  // finish the statement so the write commits
  return out;
}

Result<UserRecord> SqliteUserRepo::GetOne(const std::string& sql,
                                          std::initializer_list<std::string> args) {
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare(sql));
  int i = 1;
  for (const auto& a : args) s.BindText(i++, a);
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("no such user");
  return ReadUser(s);
}

Result<UserRecord> SqliteUserRepo::Get(const std::string& user_id) {
  return GetOne(Select("user_id = ?1"), {user_id});
}

Result<UserRecord> SqliteUserRepo::GetByEmail(const std::string& connection,
                                              const std::string& email) {
  return GetOne(Select("connection = ?1 AND email_fold = ?2"), {connection, FoldCase(email)});
}

Result<UserRecord> SqliteUserRepo::GetByUsername(const std::string& connection,
                                                 const std::string& username) {
  if (username.empty()) return NotFound("no such user");
  return GetOne(Select("connection = ?1 AND username_fold = ?2"), {connection, FoldCase(username)});
}

Result<std::vector<UserRecord>> SqliteUserRepo::FindByEmail(const std::string& email) {
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare(Select("email_fold = ?1 ORDER BY created_at_ms, "
                                                   "user_id")));
  s.BindText(1, FoldCase(email));
  std::vector<UserRecord> out;
  while (true) {
    GH_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadUser(s));
  }
  return out;
}

Result<UserPage> SqliteUserRepo::List(const UserQuery& query) {
  if (query.page < 0) return InvalidArgument("page must not be negative");
  if (query.per_page < 1 || query.per_page > 100) {
    return InvalidArgument("per_page must be within 1..100");
  }
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  // One read transaction: the count and the page come from the same snapshot.
  UserPage page;
  auto body = [&]() -> Status {
    {
      GH_ASSIGN_OR_RETURN(
          auto s, conn->Prepare(std::string("SELECT COUNT(*) FROM users WHERE ") + kListWhere));
      BindListWhere(s, query);
      GH_ASSIGN_OR_RETURN(bool row, s.Step());
      if (row) page.total = s.ColumnInt64(0);
    }
    GH_ASSIGN_OR_RETURN(
        auto s, conn->Prepare(Select(std::string(kListWhere) + " ORDER BY created_at_ms, user_id "
                                                               "LIMIT ?4 OFFSET ?5")));
    BindListWhere(s, query);
    s.BindInt64(4, query.per_page);
    s.BindInt64(5, static_cast<int64_t>(query.page) * query.per_page);
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      page.users.push_back(ReadUser(s));
    }
    return Status::Ok();
  };
  GH_RETURN_IF_ERROR(InReadTransaction(*conn, body));
  return page;
}

Result<UserRecord> SqliteUserRepo::Update(const UserRecord& user, int64_t expected_version) {
  GH_RETURN_IF_ERROR(ValidateMutable(user));
  const int64_t now = NowMs();
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  {
    GH_ASSIGN_OR_RETURN(
        auto s,
        conn->Prepare(std::string("UPDATE users SET connection = ?1, email = ?2, "
                                  "email_fold = ?3, email_verified = ?4, username = ?5, "
                                  "username_fold = ?6, name = ?7, name_fold = ?8, "
                                  "nickname = ?9, given_name = ?10, family_name = ?11, "
                                  "picture = ?12, password_hash = ?13, user_metadata = ?14, "
                                  "app_metadata = ?15, blocked = ?16, "
                                  "last_password_reset_ms = ?17, credentials_epoch = ?18, "
                                  "updated_at_ms = ?19, version = version + 1 "
                                  "WHERE user_id = ?20 AND version = ?21 RETURNING ") +
                      kColumns));
    BindMutable(s, user, now);
    s.BindText(20, user.user_id);
    s.BindInt64(21, expected_version);
    auto row = s.Step();
    if (!row.ok()) {
      if (IsConstraintViolation(s)) return AlreadyExists("email or username is taken");
      return row.status();
    }
    if (*row) {
      UserRecord out = ReadUser(s);
      GH_RETURN_IF_ERROR(s.Run());
      return out;
    }
  }
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare("SELECT version FROM users WHERE user_id = ?1"));
  s.BindText(1, user.user_id);
  GH_ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return NotFound("no such user");
  return Conflict("user is at version " + std::to_string(s.ColumnInt64(0)));
}

Result<UserRecord> SqliteUserRepo::RecordLogin(const std::string& user_id, const std::string& ip) {
  const int64_t now = NowMs();
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  GH_ASSIGN_OR_RETURN(
      auto s, conn->Prepare(std::string("UPDATE users SET logins_count = logins_count + 1, "
                                        "last_login_ms = ?2, updated_at_ms = ?2, last_ip = ?3 "
                                        "WHERE user_id = ?1 RETURNING ") +
                            kColumns));
  s.BindText(1, user_id);
  s.BindInt64(2, now);
  s.BindText(3, ip);
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("no such user");
  UserRecord out = ReadUser(s);
  GH_RETURN_IF_ERROR(s.Run());
  return out;
}

Status SqliteUserRepo::Delete(const std::string& user_id) {
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  {
    GH_ASSIGN_OR_RETURN(auto s, conn->Prepare("DELETE FROM users WHERE user_id = ?1"));
    s.BindText(1, user_id);
    GH_RETURN_IF_ERROR(s.Run());
  }
  if (conn->Changes() == 0) return NotFound("no such user");
  return Status::Ok();
}

}  // namespace gatehouse::storage::sqlite
