#include "storage/postgres/pg_connection.h"

#include <poll.h>

#include <cstring>

namespace gatehouse::storage::postgres {
namespace {

std::string Trimmed(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

// SQLSTATE classes that mean "the server or the connection is (temporarily)
// gone": connection exceptions, admin shutdown / crash / cannot connect now,
// insufficient resources (too many connections).
bool IsConnectionState(const std::string& state) {
  return state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state.rfind("53", 0) == 0;
}

std::string QuoteIdent(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const PgConnectOptions& options) {
  // connect_timeout first: a value in the URL itself overrides it.
  const std::string timeout = std::to_string(options.connect_timeout.count());
  const char* keys[] = {"connect_timeout", "dbname", "application_name", nullptr};
  const char* values[] = {timeout.c_str(), options.url.c_str(), options.application_name.c_str(),
                          nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Internal("libpq: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    if (message.find("invalid") != std::string::npos && message.find("URI") != std::string::npos) {
      return InvalidArgument("postgresql url: " + message);
    }
    return Unavailable("postgresql connect: " + message);
  }
  // Server NOTICEs (e.g. "drop cascades to ...") are not ours to print.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  auto out = std::unique_ptr<PgConnection>(new PgConnection(conn));
  if (!options.schema.empty()) {
    GH_RETURN_IF_ERROR(out->ExecScript("SET search_path TO " + QuoteIdent(options.schema)));
  }
  return out;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::healthy() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

void PgConnection::Probe() {
  if (broken_) return;
  pollfd p{PQsocket(conn_), POLLIN, 0};
  if (p.fd < 0) {
    broken_ = true;
    return;
  }
  // An idle connection has nothing to read unless the server is going away (a
  // FATAL notice, then EOF) or sent an unsolicited status report; either way
  // a fresh connection is the safe choice, and it costs one reconnect.
  if (poll(&p, 1, 0) != 0) broken_ = true;
}

Status PgConnection::Fail(PGresult* res, const std::string& what) {
  const char* state_c = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string state = state_c ? state_c : "";
  const std::string message = Trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
  if (res) PQclear(res);
  if (PQstatus(conn_) != CONNECTION_OK || IsConnectionState(state) || state.empty()) {
    // No SQLSTATE at all means libpq itself failed (lost socket).
    broken_ = true;
    last_failure_ = PgFailure::kConnection;
    return Unavailable("postgresql " + what + ": " + message);
  }
  if (state == "40001" || state == "40P01") {
    last_failure_ = PgFailure::kSerialization;
    return Unavailable("postgresql " + what + ": " + message);
  }
  last_failure_ = PgFailure::kOther;
  if (state == "23505") return AlreadyExists("postgresql " + what + ": " + message);
  return Internal("postgresql " + what + " [" + state + "]: " + message);
}

Result<PgResult> PgConnection::Execute(const std::string& sql, const std::vector<PgParam>& params) {
  last_failure_ = PgFailure::kNone;
  if (broken_) {
    last_failure_ = PgFailure::kConnection;
    return Unavailable("postgresql connection is broken");
  }
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "gh" + std::to_string(prepared_.size() + 1);
    PGresult* res = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (res == nullptr || PQresultStatus(res) != PGRES_COMMAND_OK) return Fail(res, "prepare");
    PQclear(res);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size());
  std::vector<int> formats(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    values[i] = params[i].value ? params[i].value->data() : nullptr;
    lengths[i] = params[i].value ? static_cast<int>(params[i].value->size()) : 0;
    formats[i] = params[i].binary ? 1 : 0;
  }
  PGresult* res = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                 values.data(), lengths.data(), formats.data(), /*resultFormat=*/0);
  if (res == nullptr) return Fail(nullptr, "execute");
  const ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Fail(res, "execute");
  return PgResult(res);
}

Status PgConnection::ExecScript(const std::string& sql) {
  last_failure_ = PgFailure::kNone;
  if (broken_) {
    last_failure_ = PgFailure::kConnection;
    return Unavailable("postgresql connection is broken");
  }
  PGresult* res = PQexec(conn_, sql.c_str());
  if (res == nullptr) return Fail(nullptr, "exec");
  const ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Fail(res, "exec");
  PQclear(res);
  return Status::Ok();
}

void PgConnection::Rollback() {
  const PgFailure failure = last_failure_;
  if (!broken_) {
    PGresult* res = PQexec(conn_, "ROLLBACK");
    if (res) PQclear(res);
  }
  last_failure_ = failure;
}

}  // namespace gatehouse::storage::postgres
