#include "flow/session_store.h"

#include <algorithm>

#include "flow/hex.h"

namespace gatehouse::flow {

using nlohmann::json;

SessionStore::SessionStore(storage::RecordRepo& records, Random& random, Clock& clock,
                           int64_t lifetime_seconds)
    : records_(records), random_(random), clock_(clock), lifetime_seconds_(lifetime_seconds) {}

json SessionStore::Payload(const SsoSession& s) const {
  return {
      {"user_id", s.user_id}, {"auth_time", s.auth_time}, {"amr", s.amr}, {"clients", s.clients}};
}

Result<NewSession> SessionStore::Create(const std::string& user_id, int64_t auth_time,
                                        const json& amr, const std::string& client_id) {
  NewSession out;
  out.cookie_value = random_.Token(32);
  out.session.id = Sha256Hex(out.cookie_value);
  out.session.user_id = user_id;
  out.session.auth_time = auth_time;
  out.session.amr = amr;
  if (!client_id.empty()) out.session.clients.push_back(client_id);
  GH_ASSIGN_OR_RETURN(auto record,
                      records_.Create(kSessionKind, out.session.id, Payload(out.session).dump(),
                                      auth_time + lifetime_seconds_));
  out.session.version = record.version;
  return out;
}

Result<SsoSession> SessionStore::Find(const std::string& cookie_value) {
  if (cookie_value.empty()) return NotFound("no session cookie");
  std::string id = Sha256Hex(cookie_value);
  GH_ASSIGN_OR_RETURN(auto record, records_.Get(kSessionKind, id));
  json data = json::parse(record.data, nullptr, /*allow_exceptions=*/false);
  SsoSession s;
  s.id = id;
  s.version = record.version;
  try {
    s.user_id = data.at("user_id").get<std::string>();
    s.auth_time = data.at("auth_time").get<int64_t>();
    s.amr = data.value("amr", json::array());
    s.clients = data.value("clients", std::vector<std::string>{});
  } catch (const json::exception& e) {
    return Internal(std::string("corrupt session record: ") + e.what());
  }
  return s;
}

Status SessionStore::AddClient(SsoSession& session, const std::string& client_id) {
  if (std::find(session.clients.begin(), session.clients.end(), client_id) !=
      session.clients.end()) {
    return Status::Ok();
  }
  SsoSession next = session;
  next.clients.push_back(client_id);
  GH_ASSIGN_OR_RETURN(auto record, records_.CompareAndSet(kSessionKind, session.id, session.version,
                                                          Payload(next).dump(),
                                                          session.auth_time + lifetime_seconds_));
  next.version = record.version;
  session = std::move(next);
  return Status::Ok();
}

Status SessionStore::Delete(const std::string& cookie_value) {
  if (cookie_value.empty()) return Status::Ok();
  return records_.Delete(kSessionKind, Sha256Hex(cookie_value));
}

}  // namespace gatehouse::flow
