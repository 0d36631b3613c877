#include "storage/sqlite/sqlite_log_repo.h"

#include <chrono>
#include <cstdio>

namespace gatehouse::storage::sqlite {
namespace {

constexpr char kColumns[] =
    "log_id, date_ms, type, description, client_id, client_name, user_id, user_name, ip, "
    "user_agent, hostname, connection, details";

LogEvent ReadEvent(const Statement& s) {
  LogEvent e;
  e.log_id = s.ColumnBytes(0);
  e.date_ms = s.ColumnInt64(1);
  e.type = s.ColumnBytes(2);
  e.description = s.ColumnBytes(3);
  e.client_id = s.ColumnBytes(4);
  e.client_name = s.ColumnBytes(5);
  e.user_id = s.ColumnBytes(6);
  e.user_name = s.ColumnBytes(7);
  e.ip = s.ColumnBytes(8);
  e.user_agent = s.ColumnBytes(9);
  e.hostname = s.ColumnBytes(10);
  e.connection = s.ColumnBytes(11);
  e.details = s.ColumnBytes(12);
  return e;
}

// ?1 type, ?2 user_id, ?3 client_id, ?4/?5 date bounds (NULL = open).
constexpr char kWhere[] =
    "(?1 = '' OR type = ?1) AND (?2 = '' OR user_id = ?2) AND (?3 = '' OR client_id = ?3) AND "
    "(?4 IS NULL OR date_ms >= ?4) AND (?5 IS NULL OR date_ms <= ?5)";

void BindWhere(Statement& s, const LogQuery& q) {
  s.BindText(1, q.type);
  s.BindText(2, q.user_id);
  s.BindText(3, q.client_id);
  s.BindOptionalInt64(4, q.from_ms);
  s.BindOptionalInt64(5, q.to_ms);
}

}  // namespace

SqliteLogRepo::SqliteLogRepo(ConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

Result<LogEvent> SqliteLogRepo::Append(LogEvent e) {
  GH_RETURN_IF_ERROR(PrepareLogEvent(e, clock_));
  if (e.log_id.empty()) e.log_id = ids_.Next(e.date_ms);
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  GH_RETURN_IF_ERROR(Insert(*conn, e));
  return e;
}

Status SqliteLogRepo::AppendBatch(std::vector<LogEvent> events) {
  for (auto& e : events) {
    GH_RETURN_IF_ERROR(PrepareLogEvent(e, clock_));
    if (e.log_id.empty()) e.log_id = ids_.Next(e.date_ms);
  }
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  // One commit (one fsync) for the whole batch.
  return InImmediateTransaction(*conn, [&]() -> Status {
    for (const auto& e : events) GH_RETURN_IF_ERROR(Insert(*conn, e));
    return Status::Ok();
  });
}

Status SqliteLogRepo::Insert(Connection& conn, const LogEvent& e) {
  GH_ASSIGN_OR_RETURN(auto s, conn.Prepare(std::string("INSERT INTO logs (") + kColumns +
                                           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                           "?10, ?11, ?12, ?13)"));
  s.BindText(1, e.log_id);
  s.BindInt64(2, e.date_ms);
  s.BindText(3, e.type);
  s.BindText(4, e.description);
  s.BindText(5, e.client_id);
  s.BindText(6, e.client_name);
  s.BindText(7, e.user_id);
  s.BindText(8, e.user_name);
  s.BindText(9, e.ip);
  s.BindText(10, e.user_agent);
  s.BindText(11, e.hostname);
  s.BindText(12, e.connection);
  s.BindText(13, e.details);
  return s.Run();
}

Result<LogEvent> SqliteLogRepo::Get(const std::string& log_id) {
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  GH_ASSIGN_OR_RETURN(
      auto s, conn->Prepare(std::string("SELECT ") + kColumns + " FROM logs WHERE log_id = ?1"));
  s.BindText(1, log_id);
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("no such log event");
  return ReadEvent(s);
}

Result<LogPage> SqliteLogRepo::Query(const LogQuery& q) {
  if (q.page < 0) return InvalidArgument("page must not be negative");
  if (q.per_page < 1 || q.per_page > 100) return InvalidArgument("per_page must be within 1..100");
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  LogPage page;
  auto body = [&]() -> Status {
    {
      GH_ASSIGN_OR_RETURN(auto s,
                          conn->Prepare(std::string("SELECT COUNT(*) FROM logs WHERE ") + kWhere));
      BindWhere(s, q);
      GH_ASSIGN_OR_RETURN(bool row, s.Step());
      if (row) page.total = s.ColumnInt64(0);
    }
    GH_ASSIGN_OR_RETURN(
        auto s, conn->Prepare(std::string("SELECT ") + kColumns + " FROM logs WHERE " + kWhere +
                              " AND (?6 = '' OR log_id < ?6) ORDER BY log_id DESC "
                              "LIMIT ?7 OFFSET ?8"));
    BindWhere(s, q);
    s.BindText(6, q.from_log_id);
    s.BindInt64(7, q.per_page);
    s.BindInt64(8, q.from_log_id.empty() ? static_cast<int64_t>(q.page) * q.per_page : 0);
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      page.events.push_back(ReadEvent(s));
    }
    return Status::Ok();
  };
  GH_RETURN_IF_ERROR(InReadTransaction(*conn, body));
  return page;
}

Result<int64_t> SqliteLogRepo::PurgeOlderThan(int64_t before_ms, int64_t max) {
  if (max <= 0) return int64_t{0};
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare("DELETE FROM logs WHERE log_id IN (SELECT log_id "
                                            "FROM logs WHERE date_ms < ?1 LIMIT ?2)"));
  s.BindInt64(1, before_ms);
  s.BindInt64(2, max);
  GH_RETURN_IF_ERROR(s.Run());
  return conn->Changes();
}

}  // namespace gatehouse::storage::sqlite
