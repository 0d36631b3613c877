#pragma once
// Internal to the PostgreSQL backend: UserRepo on the `users` table. Unique
// violations (id, folded email or username per connection) are AlreadyExists;
// ordering by user_id is bytewise (COLLATE "C"), as on SQLite. Thread-safe.

#include <initializer_list>

#include "core/clock.h"
#include "storage/postgres/pg_connection_pool.h"
#include "storage/user_repo.h"

namespace gatehouse::storage::postgres {

class PgUserRepo final : public UserRepo {
 public:
  PgUserRepo(PgConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

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
  Result<UserRecord> GetOne(const std::string& where, std::initializer_list<std::string> args);

  PgConnectionPool& pool_;
  Clock& clock_;
};

}  // namespace gatehouse::storage::postgres
