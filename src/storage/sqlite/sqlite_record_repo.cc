#include "storage/sqlite/sqlite_record_repo.h"

#include "storage/validation.h"

namespace gatehouse::storage::sqlite {
namespace {

Status ValidateKey(const std::string& kind, const std::string& id) {
  GH_RETURN_IF_ERROR(ValidateKind(kind));
  return ValidateId(id);
}

Record ReadRecord(const Statement& s) {
  Record r;
  r.kind = s.ColumnBytes(0);
  r.id = s.ColumnBytes(1);
  r.data = s.ColumnBytes(2);
  r.version = s.ColumnInt64(3);
  r.created_at = s.ColumnInt64(4);
  r.updated_at = s.ColumnInt64(5);
  r.expires_at = s.ColumnOptionalInt64(6);
  return r;
}

constexpr char kColumns[] = "kind, id, data, version, created_at, updated_at, expires_at";

}  // namespace

Result<Record> SqliteRecordRepo::Create(const std::string& kind, const std::string& id,
                                        const std::string& data,
                                        std::optional<int64_t> expires_at) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  GH_RETURN_IF_ERROR(ValidateData(data));
  const int64_t now = clock_.NowSeconds();
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  // One statement: insert, or take over the key of an expired record; a live
  // record makes the WHERE false and nothing changes.
  GH_ASSIGN_OR_RETURN(
      auto s, conn->Prepare("INSERT INTO records (kind, id, data, version, created_at, updated_at, "
                            "expires_at) VALUES (?1, ?2, ?3, 1, ?4, ?4, ?5) "
                            "ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data, "
                            "version = 1, created_at = excluded.created_at, "
                            "updated_at = excluded.updated_at, expires_at = excluded.expires_at "
                            "WHERE records.expires_at IS NOT NULL AND records.expires_at <= ?4"));
  s.BindText(1, kind);
  s.BindBytes(2, id);
  s.BindBytes(3, data);
  s.BindInt64(4, now);
  s.BindOptionalInt64(5, expires_at);
  GH_RETURN_IF_ERROR(s.Run());
  if (conn->Changes() == 0) return AlreadyExists("record exists: " + kind);
  return Record{kind, id, data, 1, now, now, expires_at};
}

Result<Record> SqliteRecordRepo::Get(const std::string& kind, const std::string& id) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare(std::string("SELECT ") + kColumns +
                                            " FROM records WHERE kind = ?1 AND id = ?2 AND "
                                            "(expires_at IS NULL OR expires_at > ?3)"));
  s.BindText(1, kind);
  s.BindBytes(2, id);
  s.BindInt64(3, clock_.NowSeconds());
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("no record of kind " + kind);
  Record r = ReadRecord(s);
  r.kind = kind;  // stored as TEXT; keep the caller's exact bytes
  return r;
}

Result<Record> SqliteRecordRepo::CompareAndSet(const std::string& kind, const std::string& id,
                                               int64_t expected_version, const std::string& data,
                                               std::optional<int64_t> expires_at) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  GH_RETURN_IF_ERROR(ValidateData(data));
  const int64_t now = clock_.NowSeconds();
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  int64_t created_at = 0;
  {
    GH_ASSIGN_OR_RETURN(
        auto s, conn->Prepare("UPDATE records SET data = ?4, expires_at = ?5, updated_at = ?6, "
                              "version = version + 1 WHERE kind = ?1 AND id = ?2 AND version = ?3 "
                              "AND (expires_at IS NULL OR expires_at > ?6) RETURNING created_at"));
    s.BindText(1, kind);
    s.BindBytes(2, id);
    s.BindInt64(3, expected_version);
    s.BindBytes(4, data);
    s.BindOptionalInt64(5, expires_at);
    s.BindInt64(6, now);
    GH_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return Explain(*conn, kind, id, now);
    created_at = s.ColumnInt64(0);
    GH_RETURN_IF_ERROR(s.Run());  // finish the statement so the write commits
  }
  return Record{kind, id, data, expected_version + 1, created_at, now, expires_at};
}

Status SqliteRecordRepo::DeleteIfVersion(const std::string& kind, const std::string& id,
                                         int64_t expected_version) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  const int64_t now = clock_.NowSeconds();
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  {
    GH_ASSIGN_OR_RETURN(auto s,
                        conn->Prepare("DELETE FROM records WHERE kind = ?1 AND id = ?2 AND "
                                      "version = ?3 AND (expires_at IS NULL OR expires_at > ?4)"));
    s.BindText(1, kind);
    s.BindBytes(2, id);
    s.BindInt64(3, expected_version);
    s.BindInt64(4, now);
    GH_RETURN_IF_ERROR(s.Run());
  }
  if (conn->Changes() == 1) return Status::Ok();
  return Explain(*conn, kind, id, now);
}

Status SqliteRecordRepo::Delete(const std::string& kind, const std::string& id) {
  GH_RETURN_IF_ERROR(ValidateKey(kind, id));
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare("DELETE FROM records WHERE kind = ?1 AND id = ?2"));
  s.BindText(1, kind);
  s.BindBytes(2, id);
  return s.Run();
}

Result<std::vector<Record>> SqliteRecordRepo::List(const std::string& kind,
                                                   const std::string& after_id, int limit) {
  GH_RETURN_IF_ERROR(ValidateKind(kind));
  if (limit < 1) return InvalidArgument("list limit must be at least 1");
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare(std::string("SELECT ") + kColumns +
                                            " FROM records WHERE kind = ?1 AND id > ?2 AND "
                                            "(expires_at IS NULL OR expires_at > ?3) "
                                            "ORDER BY id LIMIT ?4"));
  s.BindText(1, kind);
  s.BindBytes(2, after_id);
  s.BindInt64(3, clock_.NowSeconds());
  s.BindInt64(4, limit);
  std::vector<Record> out;
  while (true) {
    GH_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadRecord(s));
    out.back().kind = kind;
  }
  return out;
}

Result<int64_t> SqliteRecordRepo::PurgeExpired(int64_t max) {
  if (max <= 0) return int64_t{0};
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  {
    GH_ASSIGN_OR_RETURN(
        auto s,
        conn->Prepare("DELETE FROM records WHERE (kind, id) IN (SELECT kind, id FROM "
                      "records WHERE expires_at IS NOT NULL AND expires_at <= ?1 LIMIT ?2)"));
    s.BindInt64(1, clock_.NowSeconds());
    s.BindInt64(2, max);
    GH_RETURN_IF_ERROR(s.Run());
  }
  return conn->Changes();
}

Status SqliteRecordRepo::Explain(Connection& conn, const std::string& kind, const std::string& id,
                                 int64_t now) {
  GH_ASSIGN_OR_RETURN(auto s, conn.Prepare("SELECT version FROM records WHERE kind = ?1 AND "
                                           "id = ?2 AND (expires_at IS NULL OR expires_at > ?3)"));
  s.BindText(1, kind);
  s.BindBytes(2, id);
  s.BindInt64(3, now);
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("no record of kind " + kind);
  return Conflict("record of kind " + kind + " is at version " + std::to_string(s.ColumnInt64(0)));
}

}  // namespace gatehouse::storage::sqlite
