#include "storage/postgres/pg_secret_repo.h"

#include <optional>

#include "storage/validation.h"

namespace gatehouse::storage::postgres {

using P = PgParam;

Result<std::string> PgSecretRepo::GetOrCreate(const std::string& name,
                                              const std::function<std::string()>& generate) {
  GH_RETURN_IF_ERROR(ValidateSecretName(name));
  std::optional<std::string> fresh;
  // Idempotent: insert-if-absent then read back gives the same answer however
  // often it runs.
  return pool_.Run<std::string>(Idempotent::kYes, [&](PgConnection& conn) -> Result<std::string> {
    const std::string select = "SELECT value FROM secrets WHERE name = $1";
    GH_ASSIGN_OR_RETURN(auto found, conn.Execute(select, {P::Text(name)}));
    if (found.rows() == 1) return found.Bytes(0, 0);
    if (!fresh) fresh = generate();
    GH_RETURN_IF_ERROR(conn.Execute("INSERT INTO secrets (name, value, created_at) VALUES "
                                    "($1, $2, $3) ON CONFLICT (name) DO NOTHING",
                                    {P::Text(name), P::Bytes(*fresh), P::Int(clock_.NowSeconds())})
                           .status());
    GH_ASSIGN_OR_RETURN(auto stored, conn.Execute(select, {P::Text(name)}));
    if (stored.rows() != 1) return Internal("secret vanished after insert: " + name);
    return stored.Bytes(0, 0);
  });
}

}  // namespace gatehouse::storage::postgres
