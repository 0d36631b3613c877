#include "storage/postgres/pg_log_repo.h"

#include <chrono>
#include <cstdio>

namespace gatehouse::storage::postgres {
namespace {

using P = PgParam;

constexpr char kColumns[] =
    "log_id, date_ms, type, description, client_id, client_name, user_id, user_name, ip, "
    "user_agent, hostname, connection, details";

LogEvent ReadEvent(const PgResult& r, int row) {
  LogEvent e;
  e.log_id = r.Text(row, 0);
  e.date_ms = r.Int64(row, 1);
  e.type = r.Text(row, 2);
  e.description = r.Text(row, 3);
  e.client_id = r.Text(row, 4);
  e.client_name = r.Text(row, 5);
  e.user_id = r.Text(row, 6);
  e.user_name = r.Text(row, 7);
  e.ip = r.Text(row, 8);
  e.user_agent = r.Text(row, 9);
  e.hostname = r.Text(row, 10);
  e.connection = r.Text(row, 11);
  e.details = r.Text(row, 12);
  return e;
}

// $1 type, $2 user_id, $3 client_id, $4/$5 date bounds (NULL = open).
constexpr char kWhere[] =
    "($1::text = '' OR type = $1) AND ($2::text = '' OR user_id = $2) AND "
    "($3::text = '' OR client_id = $3) AND ($4::bigint IS NULL OR date_ms >= $4) AND "
    "($5::bigint IS NULL OR date_ms <= $5)";

std::vector<PgParam> WhereParams(const LogQuery& q) {
  return {P::Text(q.type), P::Text(q.user_id), P::Text(q.client_id), P::OptionalInt(q.from_ms),
          P::OptionalInt(q.to_ms)};
}

}  // namespace

PgLogRepo::PgLogRepo(PgConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

Result<LogEvent> PgLogRepo::Append(LogEvent e) {
  GH_RETURN_IF_ERROR(PrepareLogEvent(e, clock_));
  // Not idempotent (a redo after a lost commit would store the event twice).
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0 || e.log_id.empty()) e.log_id = ids_.Next(e.date_ms);
    auto stored = pool_.Run<bool>(Idempotent::kNo, [&](PgConnection& conn) -> Result<bool> {
      GH_RETURN_IF_ERROR(
          conn.Execute(
                  std::string("INSERT INTO logs (") + kColumns +
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                  {P::Text(e.log_id), P::Int(e.date_ms), P::Text(e.type), P::Text(e.description),
                   P::Text(e.client_id), P::Text(e.client_name), P::Text(e.user_id),
                   P::Text(e.user_name), P::Text(e.ip), P::Text(e.user_agent), P::Text(e.hostname),
                   P::Text(e.connection), P::Text(e.details)})
              .status());
      return true;
    });
    if (stored.ok()) return e;
    if (stored.status().code() != ErrorCode::kAlreadyExists || attempt >= 2) return stored.status();
  }
}

Result<LogEvent> PgLogRepo::Get(const std::string& log_id) {
  return pool_.Run<LogEvent>(Idempotent::kYes, [&](PgConnection& conn) -> Result<LogEvent> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute(std::string("SELECT ") + kColumns + " FROM logs WHERE log_id = $1",
                             {P::Text(log_id)}));
    if (r.rows() == 0) return NotFound("no such log event");
    return ReadEvent(r, 0);
  });
}

Result<LogPage> PgLogRepo::Query(const LogQuery& q) {
  if (q.page < 0) return InvalidArgument("page must not be negative");
  if (q.per_page < 1 || q.per_page > 100) return InvalidArgument("per_page must be within 1..100");
  return pool_.Run<LogPage>(Idempotent::kYes, [&](PgConnection& conn) -> Result<LogPage> {
    LogPage page;
    GH_RETURN_IF_ERROR(
        InPgTransaction(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&]() -> Status {
          GH_ASSIGN_OR_RETURN(auto c,
                              conn.Execute(std::string("SELECT COUNT(*) FROM logs WHERE ") + kWhere,
                                           WhereParams(q)));
          if (c.rows() == 1) page.total = c.Int64(0, 0);
          auto params = WhereParams(q);
          params.push_back(P::Text(q.from_log_id));
          params.push_back(P::Int(q.per_page));
          params.push_back(
              P::Int(q.from_log_id.empty() ? static_cast<int64_t>(q.page) * q.per_page : 0));
          GH_ASSIGN_OR_RETURN(
              auto r,
              conn.Execute(std::string("SELECT ") + kColumns + " FROM logs WHERE " + kWhere +
                               " AND ($6::text = '' OR log_id < $6) ORDER BY log_id DESC "
                               "LIMIT $7 OFFSET $8",
                           params));
          for (int i = 0; i < r.rows(); ++i) page.events.push_back(ReadEvent(r, i));
          return Status::Ok();
        }));
    return page;
  });
}

Result<int64_t> PgLogRepo::PurgeOlderThan(int64_t before_ms, int64_t max) {
  if (max <= 0) return int64_t{0};
  return pool_.Run<int64_t>(Idempotent::kYes, [&](PgConnection& conn) -> Result<int64_t> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute("DELETE FROM logs WHERE log_id IN (SELECT log_id FROM logs WHERE "
                             "date_ms < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)",
                             {P::Int(before_ms), P::Int(max)}));
    return r.affected();
  });
}

}  // namespace gatehouse::storage::postgres
