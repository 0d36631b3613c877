#include "storage/postgres/pg_signing_key_repo.h"

#include "storage/validation.h"

namespace gatehouse::storage::postgres {
namespace {

using P = PgParam;

constexpr char kSelect[] =
    "SELECT kid, alg, private_pem, public_jwk, created_at, status, version FROM signing_keys";

SigningKeyRecord ReadKey(const PgResult& r, int row) {
  SigningKeyRecord k;
  k.kid = r.Text(row, 0);
  k.alg = r.Text(row, 1);
  k.private_pem = r.Text(row, 2);
  k.public_jwk = r.Text(row, 3);
  k.created_at = r.Int64(row, 4);
  k.status = r.Text(row, 5);
  k.version = r.Int64(row, 6);
  return k;
}

}  // namespace

Status PgSigningKeyRepo::Insert(const SigningKeyRecord& key) {
  GH_RETURN_IF_ERROR(ValidateKid(key.kid));
  GH_RETURN_IF_ERROR(ValidateKeyStatus(key.status));
  if (key.alg.empty()) return InvalidArgument("signing key alg is empty");
  const int64_t created_at = key.created_at != 0 ? key.created_at : clock_.NowSeconds();
  auto done = pool_.Run<bool>(Idempotent::kNo, [&](PgConnection& conn) -> Result<bool> {
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute("INSERT INTO signing_keys (kid, alg, private_pem, public_jwk, "
                             "created_at, status, version) VALUES ($1, $2, $3, $4, $5, $6, 1) "
                             "ON CONFLICT (kid) DO NOTHING",
                             {P::Text(key.kid), P::Text(key.alg), P::Text(key.private_pem),
                              P::Text(key.public_jwk), P::Int(created_at), P::Text(key.status)}));
    if (r.affected() == 0) return AlreadyExists("signing key exists: " + key.kid);
    return true;
  });
  return done.status();
}

Result<SigningKeyRecord> PgSigningKeyRepo::Get(const std::string& kid) {
  GH_RETURN_IF_ERROR(ValidateKid(kid));
  return pool_.Run<SigningKeyRecord>(
      Idempotent::kYes, [&](PgConnection& conn) -> Result<SigningKeyRecord> {
        GH_ASSIGN_OR_RETURN(auto r,
                            conn.Execute(std::string(kSelect) + " WHERE kid = $1", {P::Text(kid)}));
        if (r.rows() == 0) return NotFound("no signing key " + kid);
        return ReadKey(r, 0);
      });
}

Result<std::vector<SigningKeyRecord>> PgSigningKeyRepo::List() {
  using Out = std::vector<SigningKeyRecord>;
  return pool_.Run<Out>(Idempotent::kYes, [&](PgConnection& conn) -> Result<Out> {
    // COLLATE "C": byte order, as on SQLite, whatever the database's locale.
    GH_ASSIGN_OR_RETURN(
        auto r, conn.Execute(std::string(kSelect) + " ORDER BY created_at, kid COLLATE \"C\""));
    Out out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(ReadKey(r, i));
    return out;
  });
}

Status PgSigningKeyRepo::SetStatus(const std::string& kid, int64_t expected_version,
                                   const std::string& status) {
  GH_RETURN_IF_ERROR(ValidateKid(kid));
  GH_RETURN_IF_ERROR(ValidateKeyStatus(status));
  auto done = pool_.Run<bool>(Idempotent::kNo, [&](PgConnection& conn) -> Result<bool> {
    GH_ASSIGN_OR_RETURN(auto r,
                        conn.Execute("UPDATE signing_keys SET status = $3, version = "
                                     "version + 1 WHERE kid = $1 AND version = $2",
                                     {P::Text(kid), P::Int(expected_version), P::Text(status)}));
    if (r.affected() == 1) return true;
    GH_ASSIGN_OR_RETURN(
        auto v, conn.Execute("SELECT version FROM signing_keys WHERE kid = $1", {P::Text(kid)}));
    if (v.rows() == 0) return NotFound("no signing key " + kid);
    return Conflict("signing key " + kid + " is at version " + std::to_string(v.Int64(0, 0)));
  });
  return done.status();
}

}  // namespace gatehouse::storage::postgres
