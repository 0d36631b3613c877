#pragma once
// Connections stored as records (kind "connection", record id = the name, so
// name uniqueness is the store's atomic create). Few connections exist per
// deployment, so lookups by id scan the list.

#include <memory>
#include <string>
#include <vector>

#include "connections/connection.h"
#include "core/random.h"
#include "core/status.h"
#include "storage/record_repo.h"

namespace gatehouse::connections {

inline constexpr const char* kConnectionKind = "connection";

// Thread-safe (stateless over the record store).
class ConnectionRepo {
 public:
  ConnectionRepo(storage::RecordRepo& records, Random& random);

  // Stores `c` under a new id. AlreadyExists when the name is taken.
  Result<Connection> Create(Connection c);
  // NotFound when absent.
  Result<Connection> GetByName(const std::string& name);
  Result<Connection> GetById(const std::string& id);
  // Every connection, by name.
  Result<std::vector<Connection>> List();
  // The connections `client_id` may use, by name.
  Result<std::vector<Connection>> EnabledFor(const std::string& client_id);
  // Replaces `c` iff nobody changed it since it was read (c.version):
  // Conflict otherwise, NotFound when deleted meanwhile.
  Result<Connection> Update(const Connection& c);
  // NotFound when absent. Users who signed in through it stay (as in Auth0).
  Status Delete(const std::string& id);

 private:
  storage::RecordRepo& records_;
  Random& random_;
};

}  // namespace gatehouse::connections
