#include "connections/connection_repo.h"

namespace gatehouse::connections {
namespace {

Result<Connection> Decode(const storage::Record& record) {
  auto data = nlohmann::json::parse(record.data, nullptr, false);
  if (data.is_discarded()) return Internal("corrupt connection record " + record.id);
  GH_ASSIGN_OR_RETURN(Connection c, Connection::FromRecord(data));
  c.version = record.version;
  return c;
}

constexpr int kPage = 100;

}  // namespace

ConnectionRepo::ConnectionRepo(storage::RecordRepo& records, Random& random)
    : records_(records), random_(random) {}

Result<Connection> ConnectionRepo::Create(Connection c) {
  GH_RETURN_IF_ERROR(ValidateConnectionName(c.name));
  c.id = "con_" + random_.Hex(8);
  auto stored = records_.Create(kConnectionKind, c.name, c.ToRecord().dump(), std::nullopt);
  if (!stored.ok()) {
    if (stored.status().code() == ErrorCode::kAlreadyExists) {
      return AlreadyExists("A connection with the same name already exists");
    }
    return stored.status();
  }
  return Decode(*stored);
}

Result<Connection> ConnectionRepo::GetByName(const std::string& name) {
  if (!ValidateConnectionName(name).ok()) return NotFound("no such connection");
  GH_ASSIGN_OR_RETURN(storage::Record record, records_.Get(kConnectionKind, name));
  return Decode(record);
}

Result<Connection> ConnectionRepo::GetById(const std::string& id) {
  GH_ASSIGN_OR_RETURN(std::vector<Connection> all, List());
  for (auto& c : all) {
    if (c.id == id) return std::move(c);
  }
  return NotFound("no such connection");
}

Result<std::vector<Connection>> ConnectionRepo::List() {
  std::vector<Connection> out;
  std::string after;
  while (true) {
    GH_ASSIGN_OR_RETURN(std::vector<storage::Record> page,
                        records_.List(kConnectionKind, after, kPage));
    for (const auto& record : page) {
      GH_ASSIGN_OR_RETURN(Connection c, Decode(record));
      out.push_back(std::move(c));
    }
    if (static_cast<int>(page.size()) < kPage) break;
    after = page.back().id;
  }
  return out;
}

Result<std::vector<Connection>> ConnectionRepo::EnabledFor(const std::string& client_id) {
  GH_ASSIGN_OR_RETURN(std::vector<Connection> all, List());
  std::vector<Connection> out;
  for (auto& c : all) {
    if (c.EnabledFor(client_id)) out.push_back(std::move(c));
  }
  return out;
}

Result<Connection> ConnectionRepo::Update(const Connection& c) {
  GH_ASSIGN_OR_RETURN(storage::Record record,
                      records_.CompareAndSet(kConnectionKind, c.name, c.version,
                                             c.ToRecord().dump(), std::nullopt));
  return Decode(record);
}

Status ConnectionRepo::Delete(const std::string& id) {
  GH_ASSIGN_OR_RETURN(Connection c, GetById(id));
  return records_.DeleteIfVersion(kConnectionKind, c.name, c.version);
}

}  // namespace gatehouse::connections
