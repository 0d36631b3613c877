#pragma once
// Internal to the PostgreSQL backend: SigningKeyRepo on `signing_keys`.
// Thread-safe.

#include "core/clock.h"
#include "storage/postgres/pg_connection_pool.h"
#include "storage/signing_key_repo.h"

namespace gatehouse::storage::postgres {

class PgSigningKeyRepo final : public SigningKeyRepo {
 public:
  PgSigningKeyRepo(PgConnectionPool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

  Status Insert(const SigningKeyRecord& key) override;
  Result<SigningKeyRecord> Get(const std::string& kid) override;
  Result<std::vector<SigningKeyRecord>> List() override;
  Status SetStatus(const std::string& kid, int64_t expected_version,
                   const std::string& status) override;

 private:
  PgConnectionPool& pool_;
  Clock& clock_;
};

}  // namespace gatehouse::storage::postgres
