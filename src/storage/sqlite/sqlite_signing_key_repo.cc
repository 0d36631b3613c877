#include "storage/sqlite/sqlite_signing_key_repo.h"

#include "storage/validation.h"

namespace gatehouse::storage::sqlite {
namespace {

constexpr char kSelect[] =
    "SELECT kid, alg, private_pem, public_jwk, created_at, status, version FROM signing_keys";

SigningKeyRecord ReadKey(const Statement& s) {
  SigningKeyRecord k;
  k.kid = s.ColumnBytes(0);
  k.alg = s.ColumnBytes(1);
  k.private_pem = s.ColumnBytes(2);
  k.public_jwk = s.ColumnBytes(3);
  k.created_at = s.ColumnInt64(4);
  k.status = s.ColumnBytes(5);
  k.version = s.ColumnInt64(6);
  return k;
}

}  // namespace

Status SqliteSigningKeyRepo::Insert(const SigningKeyRecord& key) {
  GH_RETURN_IF_ERROR(ValidateKid(key.kid));
  GH_RETURN_IF_ERROR(ValidateKeyStatus(key.status));
  if (key.alg.empty()) return InvalidArgument("signing key alg is empty");
  const int64_t created_at = key.created_at != 0 ? key.created_at : clock_.NowSeconds();
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  GH_ASSIGN_OR_RETURN(
      auto s, conn->Prepare("INSERT INTO signing_keys (kid, alg, private_pem, public_jwk, "
                            "created_at, status, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) "
                            "ON CONFLICT (kid) DO NOTHING"));
  s.BindText(1, key.kid);
  s.BindText(2, key.alg);
  s.BindText(3, key.private_pem);
  s.BindText(4, key.public_jwk);
  s.BindInt64(5, created_at);
  s.BindText(6, key.status);
  GH_RETURN_IF_ERROR(s.Run());
  if (conn->Changes() == 0) return AlreadyExists("signing key exists: " + key.kid);
  return Status::Ok();
}

Result<SigningKeyRecord> SqliteSigningKeyRepo::Get(const std::string& kid) {
  GH_RETURN_IF_ERROR(ValidateKid(kid));
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare(std::string(kSelect) + " WHERE kid = ?1"));
  s.BindText(1, kid);
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("no signing key " + kid);
  return ReadKey(s);
}

Result<std::vector<SigningKeyRecord>> SqliteSigningKeyRepo::List() {
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare(std::string(kSelect) + " ORDER BY created_at, kid"));
  std::vector<SigningKeyRecord> out;
  while (true) {
    GH_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadKey(s));
  }
  return out;
}

Status SqliteSigningKeyRepo::SetStatus(const std::string& kid, int64_t expected_version,
                                       const std::string& status) {
  GH_RETURN_IF_ERROR(ValidateKid(kid));
  GH_RETURN_IF_ERROR(ValidateKeyStatus(status));
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
  {
    GH_ASSIGN_OR_RETURN(auto s, conn->Prepare("UPDATE signing_keys SET status = ?3, "
                                              "version = version + 1 WHERE kid = ?1 AND "
                                              "version = ?2"));
    s.BindText(1, kid);
    s.BindInt64(2, expected_version);
    s.BindText(3, status);
    GH_RETURN_IF_ERROR(s.Run());
  }
  if (conn->Changes() == 1) return Status::Ok();
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare("SELECT version FROM signing_keys WHERE kid = ?1"));
  s.BindText(1, kid);
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("no signing key " + kid);
  return Conflict("signing key " + kid + " is at version " + std::to_string(s.ColumnInt64(0)));
}

}  // namespace gatehouse::storage::sqlite
