#pragma once
// Internal to the SQLite backend: UserRepo on the `users` table. Writes are
// single statements (atomic in autocommit); a write that matched nothing reads
// once more to tell NotFound from Conflict. Uniqueness of (connection, email)
// and (connection, username) is enforced by unique indexes on folded copies,
// so it holds across processes too. Thread-safe.

#include "core/clock.h"
#include "storage/sqlite/connection_pool.h"
#include "storage/user_repo.h"

namespace gatehouse::storage::sqlite {

class SqliteUserRepo final : public UserRepo {
 public:
  SqliteUserRepo(ConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

  Result<UserRecord> Create(const UserRecord& user) override;
  Result<UserRecord> Get(const std::string& user_id) override;
  Result<UserRecord> GetByEmail(const std::string& connection, const std::string& email) override;
  Result<UserRecord> GetByUsername(const std::string& connection,
                                   const std::string& username) override;
  Result<std::vector<UserRecord>> FindByEmail(const std::string& email) override;
  Result<UserPage> List(const UserQuery& query) override;
  Result<UserRecord> Update(const UserRecord& user, int64_t expected_version) override;
  Result<UserRecord> RecordLogin(const std::string& user_id, const std::string& ip) override;
  Status Delete(const std::string& user_id) override;

 private:
  int64_t NowMs() const;
  // The single user the (cached) query `sql` with one text parameter per
  // element of `args` returns, or NotFound.
  Result<UserRecord> GetOne(const std::string& sql, std::initializer_list<std::string> args);

  ConnectionPool& pool_;
  Clock& clock_;
};

}  // namespace gatehouse::storage::sqlite
