#include "storage/sqlite/sqlite_secret_repo.h"

#include "storage/validation.h"

namespace gatehouse::storage::sqlite {

Result<std::string> SqliteSecretRepo::GetOrCreate(const std::string& name,
                                                  const std::function<std::string()>& generate) {
  GH_RETURN_IF_ERROR(ValidateSecretName(name));
  GH_ASSIGN_OR_RETURN(auto existing, Find(name));
  if (existing) return *existing;
  std::string fresh = generate();
  {
    GH_ASSIGN_OR_RETURN(auto conn, pool_.Write());
    // A racing creator may have won since Find: keep its value, then read the
    // winner back, so every caller returns the same secret.
    GH_ASSIGN_OR_RETURN(auto s, conn->Prepare("INSERT INTO secrets (name, value, created_at) "
                                              "VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING"));
    s.BindText(1, name);
    s.BindBytes(2, fresh);
    s.BindInt64(3, clock_.NowSeconds());
    GH_RETURN_IF_ERROR(s.Run());
  }
  GH_ASSIGN_OR_RETURN(auto stored, Find(name));
  if (!stored) return Internal("secret vanished after insert: " + name);
  return *stored;
}

Result<std::optional<std::string>> SqliteSecretRepo::Find(const std::string& name) {
  GH_ASSIGN_OR_RETURN(auto conn, pool_.Read());
  GH_ASSIGN_OR_RETURN(auto s, conn->Prepare("SELECT value FROM secrets WHERE name = ?1"));
  s.BindText(1, name);
  GH_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s.ColumnBytes(0));
}

}  // namespace gatehouse::storage::sqlite
