#include "flow/transaction.h"

namespace gatehouse::flow {

using nlohmann::json;

json Transaction::ToJson() const {
  json j = {{"state", LoginStateName(state)},
            {"browser_hash", browser_hash},
            {"client_id", client_id},
            {"redirect_uri", redirect_uri},
            {"response_mode", response_mode},
            {"scope", scope},
            {"client_state", client_state},
            {"nonce", nonce},
            {"prompt", prompt},
            {"audience", audience},
            {"code_challenge", code_challenge},
            {"code_challenge_method", code_challenge_method},
            {"login_hint", login_hint},
            {"issuer", issuer},
            {"user_id", user_id},
            {"auth_time", auth_time},
            {"session_id", session_id},
            {"amr", amr}};
  if (max_age) j["max_age"] = *max_age;
  if (!connection.empty()) j["connection"] = connection;
  if (!resume.is_null()) j["resume"] = resume;
  return j;
}

Result<Transaction> Transaction::FromJson(const json& data) {
  if (!data.is_object()) return InvalidArgument("transaction payload is not an object");
  Transaction tx;
  try {
    auto state = ParseLoginState(data.at("state").get<std::string>());
    if (!state) return InvalidArgument("unknown transaction state");
    tx.state = *state;
    tx.browser_hash = data.at("browser_hash").get<std::string>();
    tx.client_id = data.at("client_id").get<std::string>();
    tx.redirect_uri = data.at("redirect_uri").get<std::string>();
    tx.response_mode = data.at("response_mode").get<std::string>();
    tx.scope = data.value("scope", "");
    tx.client_state = data.value("client_state", "");
    tx.nonce = data.value("nonce", "");
    tx.prompt = data.value("prompt", "");
    if (data.contains("max_age")) tx.max_age = data.at("max_age").get<int64_t>();
    tx.audience = data.value("audience", "");
    tx.code_challenge = data.value("code_challenge", "");
    tx.code_challenge_method = data.value("code_challenge_method", "");
    tx.login_hint = data.value("login_hint", "");
    tx.issuer = data.value("issuer", "");
    tx.user_id = data.value("user_id", "");
    tx.auth_time = data.value("auth_time", int64_t{0});
    tx.session_id = data.value("session_id", "");
    tx.amr = data.value("amr", json::array());
    tx.connection = data.value("connection", "");
    tx.resume = data.value("resume", json());
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("malformed transaction payload: ") + e.what());
  }
  return tx;
}

TransactionStore::TransactionStore(storage::RecordRepo& records, Random& random, Clock& clock,
                                   int64_t lifetime_seconds)
    : records_(records), random_(random), clock_(clock), lifetime_seconds_(lifetime_seconds) {}

Result<Transaction> TransactionStore::Create(Transaction tx) {
  tx.id = random_.Token(32);
  tx.state = LoginState::kCreated;
  tx.expires_at = clock_.NowSeconds() + lifetime_seconds_;
  GH_ASSIGN_OR_RETURN(auto record,
                      records_.Create(kTransactionKind, tx.id, tx.ToJson().dump(), tx.expires_at));
  tx.version = record.version;
  return tx;
}

Result<Transaction> TransactionStore::Get(const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto record, records_.Get(kTransactionKind, id));
  json data = json::parse(record.data, nullptr, /*allow_exceptions=*/false);
  auto tx = Transaction::FromJson(data);
  if (!tx.ok()) return Internal("corrupt transaction record: " + tx.status().message());
  tx->id = id;
  tx->version = record.version;
  tx->expires_at = record.expires_at.value_or(0);
  return tx;
}

Status TransactionStore::Transition(Transaction& tx, LoginState to) {
  if (!TransitionAllowed(tx.state, to)) {
    return InvalidArgument(std::string("transaction cannot move from ") +
                           std::string(LoginStateName(tx.state)) + " to " +
                           std::string(LoginStateName(to)));
  }
  Transaction next = tx;
  next.state = to;
  GH_ASSIGN_OR_RETURN(auto record, records_.CompareAndSet(kTransactionKind, tx.id, tx.version,
                                                          next.ToJson().dump(), tx.expires_at));
  tx.state = to;
  tx.version = record.version;
  return Status::Ok();
}

Status TransactionStore::TransitionVia(Transaction& tx, LoginState via, LoginState to) {
  if (!TransitionAllowed(tx.state, via) || !TransitionAllowed(via, to)) {
    return InvalidArgument(
        std::string("transaction cannot move from ") + std::string(LoginStateName(tx.state)) +
        " through " + std::string(LoginStateName(via)) + " to " + std::string(LoginStateName(to)));
  }
  Transaction next = tx;
  next.state = to;
  GH_ASSIGN_OR_RETURN(auto record, records_.CompareAndSet(kTransactionKind, tx.id, tx.version,
                                                          next.ToJson().dump(), tx.expires_at));
  tx.state = to;
  tx.version = record.version;
  return Status::Ok();
}

}  // namespace gatehouse::flow
