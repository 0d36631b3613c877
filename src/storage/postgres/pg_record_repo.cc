#include "storage/postgres/pg_record_repo.h"

#include "storage/validation.h"

namespace gatehouse::storage::postgres {
namespace {

using P = PgParam;

Status ValidateKey(const std::string& kind, const std::string& id) {
  GH_RETURN_IF_ERROR(ValidateKind(kind));
  return ValidateId(id);
}

constexpr char kColumns[] = "id, data, version, created_at, updated_at, expires_at";

Record ReadRecord(const PgResult& r, int row, const std::string& kind) {
  Record out;
  out.kind = kind;
  out.id = r.Bytes(row, 0);
  out.data = r.Bytes(row, 1);
  out.version = r.Int64(row, 2);
  out.created_at = r.Int64(row, 3);
  out.updated_at = r.Int64(row, 4);
  out.expires_at = r.OptionalInt64(row, 5);
  return out;
}

// After a conditional write matched nothing: NotFound if no live record, else
// Conflict.
Status Explain(PgConnection& conn, const std::string& kind, const std::string& id, int64_t now) {
  GH_ASSIGN_OR_RETURN(auto r, conn.Execute("SELECT version FROM records WHERE kind = $1 AND "
                                           "id = $2 AND (expires_at IS NULL OR expires_at > $3)",
                                           {P::Text(kind), P::Bytes(id), P::Int(now)}));
  if (r.rows() == 0) return NotFound("no record of kind " + kind);
  return Conflict("record of kind " + kind + " is at version " + std::to_string(r.Int64(0, 0)));
}

}  // namespace

Result<Record> PgRecordRepo::Create(const std::string& kind, const std::string& id,
                                    const std::string& data, std::optional<int64_t> expires_at) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  GH_RETURN_IF_ERROR(ValidateData(data));
  const int64_t now = clock_.NowSeconds();
  // Not idempotent: a lost connection after a committed insert would make the
  // redo report AlreadyExists for our own record.
  return pool_.Run<Record>(Idempotent::kNo, [&](PgConnection& conn) -> Result<Record> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute("INSERT INTO records (kind, id, data, version, created_at, "
                             "updated_at, expires_at) VALUES ($1, $2, $3, 1, $4, $4, $5) "
                             "ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data, "
                             "version = 1, created_at = excluded.created_at, "
                             "updated_at = excluded.updated_at, expires_at = excluded.expires_at "
                             "WHERE records.expires_at IS NOT NULL AND records.expires_at <= $4",
                             {P::Text(kind), P::Bytes(id), P::Bytes(data), P::Int(now),
                              P::OptionalInt(expires_at)}));
    if (r.affected() == 0) return AlreadyExists("record exists: " + kind);
    return Record{kind, id, data, 1, now, now, expires_at};
  });
}

Result<Record> PgRecordRepo::Get(const std::string& kind, const std::string& id) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  const int64_t now = clock_.NowSeconds();
  return pool_.Run<Record>(Idempotent::kYes, [&](PgConnection& conn) -> Result<Record> {
    GH_ASSIGN_OR_RETURN(auto r, conn.Execute(std::string("SELECT ") + kColumns +
                                                 " FROM records WHERE kind = $1 AND id = $2 AND "
                                                 "(expires_at IS NULL OR expires_at > $3)",
                                             {P::Text(kind), P::Bytes(id), P::Int(now)}));
    if (r.rows() == 0) return NotFound("no record of kind " + kind);
    return ReadRecord(r, 0, kind);
  });
}

Result<Record> PgRecordRepo::CompareAndSet(const std::string& kind, const std::string& id,
                                           int64_t expected_version, const std::string& data,
                                           std::optional<int64_t> expires_at) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  GH_RETURN_IF_ERROR(ValidateData(data));
  const int64_t now = clock_.NowSeconds();
  return pool_.Run<Record>(Idempotent::kNo, [&](PgConnection& conn) -> Result<Record> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute("UPDATE records SET data = $4, expires_at = $5, updated_at = $6, "
                             "version = version + 1 WHERE kind = $1 AND id = $2 AND version = $3 "
                             "AND (expires_at IS NULL OR expires_at > $6) RETURNING created_at",
                             {P::Text(kind), P::Bytes(id), P::Int(expected_version), P::Bytes(data),
                              P::OptionalInt(expires_at), P::Int(now)}));
    if (r.rows() == 0) return Explain(conn, kind, id, now);
    return Record{kind, id, data, expected_version + 1, r.Int64(0, 0), now, expires_at};
  });
}

Status PgRecordRepo::DeleteIfVersion(const std::string& kind, const std::string& id,
                                     int64_t expected_version) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  const int64_t now = clock_.NowSeconds();
  auto done = pool_.Run<bool>(Idempotent::kNo, [&](PgConnection& conn) -> Result<bool> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute("DELETE FROM records WHERE kind = $1 AND id = $2 AND version = $3 "
                             "AND (expires_at IS NULL OR expires_at > $4)",
                             {P::Text(kind), P::Bytes(id), P::Int(expected_version), P::Int(now)}));
    if (r.affected() == 1) return true;
    GH_RETURN_IF_ERROR(Explain(conn, kind, id, now));
    return Internal("record delete matched nothing yet the record is current");
  });
  return done.status();
}

Status PgRecordRepo::Delete(const std::string& kind, const std::string& id) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  // Idempotent: deleting twice is deleting once.
  auto done = pool_.Run<bool>(Idempotent::kYes, [&](PgConnection& conn) -> Result<bool> {
    GH_RETURN_IF_ERROR(conn.Execute("DELETE FROM records WHERE kind = $1 AND id = $2",
                                    {P::Text(kind), P::Bytes(id)})
                           .status());
    return true;
  });
  return done.status();
}

Result<std::vector<Record>> PgRecordRepo::List(const std::string& kind, const std::string& after_id,
                                               int limit) {
  GH_RETURN_IF_ERROR(ValidateKind(kind));
  if (limit < 1) return InvalidArgument("list limit must be at least 1");
  const int64_t now = clock_.NowSeconds();
  using Out = std::vector<Record>;
  return pool_.Run<Out>(Idempotent::kYes, [&](PgConnection& conn) -> Result<Out> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute(std::string("SELECT ") + kColumns +
                                 " FROM records WHERE kind = $1 AND id > $2 AND "
                                 "(expires_at IS NULL OR expires_at > $3) ORDER BY id LIMIT $4",
                             {P::Text(kind), P::Bytes(after_id), P::Int(now), P::Int(limit)}));
    Out out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(ReadRecord(r, i, kind));
    return out;
  });
}

Result<int64_t> PgRecordRepo::PurgeExpired(int64_t max) {
  if (max <= 0) return int64_t{0};
  const int64_t now = clock_.NowSeconds();
  // Idempotent: a redo deletes what is still expired. The outer predicate is
  // re-checked on rows a concurrent compare-and-set touched.
  return pool_.Run<int64_t>(Idempotent::kYes, [&](PgConnection& conn) -> Result<int64_t> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute("DELETE FROM records WHERE (kind, id) IN (SELECT kind, id FROM "
                             "records WHERE expires_at IS NOT NULL AND expires_at <= $1 LIMIT $2 "
                             "FOR UPDATE SKIP LOCKED) AND expires_at <= $1",
                             {P::Int(now), P::Int(max)}));
    return r.affected();
  });
}

}  // namespace gatehouse::storage::postgres
