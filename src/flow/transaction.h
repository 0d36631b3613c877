#pragma once
// A login transaction as persisted (record kind "transaction", id a random
// 256-bit token): the validated /authorize request, the browser it is bound
// to, and, once the user authenticated, who and when. Its state moves only
// through TransactionStore::Transition (compare-and-set).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "flow/login_state.h"
#include "storage/record_repo.h"

namespace gatehouse::flow {

inline constexpr const char* kTransactionKind = "transaction";

struct Transaction {
  std::string id;
  LoginState state = LoginState::kCreated;
  int64_t version = 0;     // of the stored record, for the next compare-and-set
  int64_t expires_at = 0;  // unix seconds; fixed at creation

  // Hex SHA-256 of the browser's transaction cookie.
  std::string browser_hash;

  // The validated authorize request.
  std::string client_id;
  std::string redirect_uri;
  std::string response_mode;
  std::string scope;         // space-separated, as requested
  std::string client_state;  // the client's "state", echoed back
  std::string nonce;
  std::string prompt;
  std::optional<int64_t> max_age;
  std::string audience;
  std::string code_challenge;
  std::string code_challenge_method;
  std::string login_hint;
  std::string issuer;  // of the domain /authorize ran on

  // Set when the transaction becomes authenticated.
  std::string user_id;
  int64_t auth_time = 0;
  std::string session_id;  // the SSO session record id
  nlohmann::json amr = nlohmann::json::array();
  // The upstream connection the user signed in through; "" = the database
  // connection (password, sign-up, SSO of a password login).
  std::string connection;

  // Set when a rule redirected (redirect_pending and later; null before):
  // {"state_hash": hex SHA-256 of the /continue state, "state_expires_at",
  //  "host": the Host the flow ran on, "protocol": of the first pass,
  //  "user": the snapshot, "context": after the first pass, "url"}.
  nlohmann::json resume;

  // The record payload (everything but id, version and expires_at).
  nlohmann::json ToJson() const;
  // InvalidArgument when `data` is not a transaction payload.
  static Result<Transaction> FromJson(const nlohmann::json& data);
};

// Thread-safe (stateless over the storage).
class TransactionStore {
 public:
  TransactionStore(storage::RecordRepo& records, Random& random, Clock& clock,
                   int64_t lifetime_seconds);

  // Stores `tx` in state created under a new random id, expiring
  // lifetime_seconds from now. Returns it with id, version and expires_at set.
  Result<Transaction> Create(Transaction tx);

  // NotFound when absent or expired; Internal when the record is corrupt.
  Result<Transaction> Get(const std::string& id);

  // Moves the transaction from tx.state (as read, at tx.version) to `to`,
  // storing every other field of `tx` with it. On success updates tx.state
  // and tx.version. InvalidArgument when the state machine does not allow the
  // move; Conflict when another request moved it first; NotFound when it
  // expired. Of racing callers holding the same version exactly one succeeds.
  Status Transition(Transaction& tx, LoginState to);
  // Transition(tx, via) then Transition(tx, to) in one compare-and-set: both
  // moves must be allowed, and `via` is never stored. For steps that always
  // follow each other (authenticated -> rules_pass1), so a login writes once
  // instead of twice. Same errors as Transition.
  Status TransitionVia(Transaction& tx, LoginState via, LoginState to);

 private:
  storage::RecordRepo& records_;
  Random& random_;
  Clock& clock_;
  int64_t lifetime_seconds_;
};

}  // namespace gatehouse::flow
