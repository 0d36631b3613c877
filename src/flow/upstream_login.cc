// Sign-in through an upstream OpenID Connect provider (src/connections): the
// FlowHandlers members behind GET /login/connection and GET /login/callback.
//
//   /authorize?connection=X  or the login page's "Continue with X"
//     -> GET /login/connection?tx=&connection=X   (transaction bound to the browser)
//     -> 302 to X's authorization endpoint with state, nonce, PKCE S256
//     -> GET /login/callback?code=&state=         (state single-use, bound to the browser)
//     -> code redeemed and the ID token checked on the upstream pool
//     -> user upserted, then StartSession and the rules as for a password login.
//
// Every refusal is an error page plus a tenant log event "f", and nothing about
// the user is written before the ID token passed every check.

#include "connections/federated_users.h"
#include "core/base64url.h"
#include "core/logging.h"
#include "crypto/digest.h"
#include "flow/browser_cookies.h"
#include "flow/flow_handlers.h"
#include "flow/hex.h"
#include "pages/security_headers.h"

namespace gatehouse::flow {
namespace {

using nlohmann::json;

constexpr const char* kStateKind = "upstream_state";
constexpr const char* kStateMismatch =
    "The answer from the identity provider does not belong to a login started in this browser "
    "(state mismatch). Start again from the application.";
constexpr const char* kNoSuchConnection =
    "This sign-in option does not exist or is not enabled for this application.";
constexpr const char* kLoginFinishedUpstream = "This login has already been completed.";

std::string Display(const connections::Connection& c) {
  return c.display_name.empty() ? c.name : c.display_name;
}

}  // namespace

struct FlowHandlers::UpstreamCallbackWork {
  Transaction tx;
  std::string connection, code, verifier, nonce, redirect_uri, iss;
};

void FlowHandlers::DescribeConnection(const Transaction& tx, RulesRun& run) {
  if (tx.connection.empty()) return;
  run.connection = tx.connection;
  run.connection_strategy = connections::kStrategy;
  if (deps_.upstream != nullptr) {
    auto c = deps_.upstream->connections.GetByName(tx.connection);
    if (c.ok()) run.connection_id = c->id;
  }
}

std::vector<pages::LoginView::ConnectionLink> FlowHandlers::ConnectionLinks(const Transaction& tx) {
  std::vector<pages::LoginView::ConnectionLink> out;
  if (deps_.upstream == nullptr) return out;
  auto enabled = deps_.upstream->connections.EnabledFor(tx.client_id);
  if (!enabled.ok()) {
    // The password form still works; the links come back with storage.
    log::Warn("connections_unavailable", {{"error", enabled.status().ToString()}});
    return out;
  }
  for (const auto& c : *enabled) {
    out.push_back(
        {.display_name = Display(c),
         .url = "/login/connection?tx=" + tx.id + "&connection=" + http::UrlEncode(c.name)});
  }
  return out;
}

http::Response FlowHandlers::UpstreamFailed(const std::string& request_id, bool tls, int status,
                                            const std::string& error,
                                            const std::string& description,
                                            const std::string& debug, const std::string& client_id,
                                            const std::string& connection, const std::string& ip) {
  log::Info("upstream_login_failed", {{"error", error},
                                      {"debug", debug},
                                      {"connection", connection},
                                      {"client_id", client_id},
                                      {"request_id", request_id}});
  storage::LogEvent event;
  event.type = "f";
  event.description = description;
  event.client_id = client_id;
  event.ip = ip;
  event.connection = connection;
  event.details = json{{"error", error}, {"reason", debug}, {"request_id", request_id}}.dump();
  Emit(std::move(event));
  return ErrorPage(request_id, tls, status, error, description);
}

// ---------------------------------------------------------------- /login/connection

void FlowHandlers::UpstreamStart(http::Request& request, http::Done done) {
  auto bound = LoadBound(request, request.query.Get("tx").value_or(""));
  if (auto* error = std::get_if<http::Response>(&bound)) {
    done(std::move(*error));
    return;
  }
  Transaction tx = std::move(std::get<Bound>(bound).tx);
  if (tx.state != LoginState::kCreated) {
    done(
        ErrorPage(request.request_id, request.tls, 400, "invalid_request", kLoginFinishedUpstream));
    return;
  }
  std::string name = request.query.Get("connection").value_or("");
  auto found = deps_.upstream->connections.GetByName(name);
  if (!found.ok() && found.status().code() != ErrorCode::kNotFound) {
    done(ServiceErrorPage(request.request_id, request.tls, found.status(), "connection_lookup"));
    return;
  }
  if (!found.ok() || !found->EnabledFor(tx.client_id)) {
    done(UpstreamFailed(request.request_id, request.tls, 400, "invalid_request", kNoSuchConnection,
                        "connection not found or not enabled: " + name, tx.client_id, name,
                        request.remote_ip));
    return;
  }
  // Discovery may block on the network: off the I/O thread.
  deps_.upstream->pool.Post([self = shared_from_this(), c = std::move(found).value(),
                             tx = std::move(tx), done = std::move(done),
                             request_id = request.request_id, tls = request.tls,
                             ip = request.remote_ip]() mutable {
    const UpstreamDeps& up = *self->deps_.upstream;
    auto md = up.client.Metadata(c);
    if (!md.ok()) {
      done(self->UpstreamFailed(request_id, tls, 502, "temporarily_unavailable",
                                Display(c) + " cannot be reached right now. Try again later.",
                                md.status().ToString(), tx.client_id, c.name, ip));
      return;
    }
    std::string state = self->deps_.random.Token(32);
    std::string nonce = self->deps_.random.Token(32);
    std::string verifier = c.pkce ? self->deps_.random.Token(32) : "";
    std::string redirect_uri = tx.issuer + "login/callback";
    json data = {{"tx", tx.id},
                 {"connection", c.name},
                 {"nonce", nonce},
                 {"verifier", verifier},
                 {"redirect_uri", redirect_uri}};
    auto stored =
        self->deps_.storage.records().Create(kStateKind, Sha256Hex(state), data.dump(),
                                             self->deps_.clock.NowSeconds() + up.state_seconds);
    if (!stored.ok()) {
      done(self->ServiceErrorPage(request_id, tls, stored.status(), "upstream_state_store"));
      return;
    }
    std::string url = md->authorization_endpoint;
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += "response_type=code&client_id=" + http::UrlEncode(c.client_id) +
           "&redirect_uri=" + http::UrlEncode(redirect_uri) +
           "&scope=" + http::UrlEncode(c.scopes) + "&state=" + http::UrlEncode(state) +
           "&nonce=" + http::UrlEncode(nonce);
    if (c.pkce) {
      url += "&code_challenge=" + Base64UrlEncode(crypto::Digest(crypto::Hash::kSha256, verifier)) +
             "&code_challenge_method=S256";
    }
    http::Response res = http::Response::Redirect(url);
    pages::ApplySecurityHeaders(res, tls);
    res.SetHeader("Cache-Control", "no-store");
    done(std::move(res));
  });
}

// ---------------------------------------------------------------- /login/callback

void FlowHandlers::UpstreamCallback(http::Request& request, http::Done done) {
  const std::string& rid = request.request_id;
  const std::string& ip = request.remote_ip;
  std::string state = request.query.Get("state").value_or("");
  if (state.empty() || state.size() > 512) {
    done(UpstreamFailed(rid, request.tls, 400, "invalid_request", kStateMismatch,
                        "callback without state", "", "", ip));
    return;
  }
  storage::RecordRepo& records = deps_.storage.records();
  const std::string state_id = Sha256Hex(state);
  auto record = records.Get(kStateKind, state_id);
  if (!record.ok()) {
    if (record.status().code() != ErrorCode::kNotFound) {
      done(ServiceErrorPage(rid, request.tls, record.status(), "upstream_state_load"));
      return;
    }
    done(UpstreamFailed(rid, request.tls, 400, "invalid_request", kStateMismatch,
                        "unknown, expired or used state", "", "", ip));
    return;
  }
  json data = json::parse(record->data, nullptr, false);
  if (!data.is_object()) {
    done(ServiceErrorPage(rid, request.tls, Internal("corrupt upstream state"), "upstream_state"));
    return;
  }
  std::string connection = data.value("connection", "");
  auto bound = LoadBound(request, data.value("tx", ""));
  if (auto* error = std::get_if<http::Response>(&bound)) {
    // Another browser holds this state: refused, and the state stays for its owner.
    log::Info("upstream_state_wrong_browser", {{"connection", connection}, {"request_id", rid}});
    done(std::move(*error));
    return;
  }
  Transaction tx = std::move(std::get<Bound>(bound).tx);
  // Single use: of two callbacks carrying the same state only one goes on.
  Status consumed = records.DeleteIfVersion(kStateKind, state_id, record->version);
  if (!consumed.ok()) {
    done(UpstreamFailed(rid, request.tls, 400, "invalid_request", kStateMismatch,
                        "state already used", tx.client_id, connection, ip));
    return;
  }
  if (tx.state != LoginState::kCreated) {
    done(ErrorPage(rid, request.tls, 400, "invalid_request", kLoginFinishedUpstream));
    return;
  }
  if (auto error = request.query.Get("error")) {
    std::string description = request.query.Get("error_description").value_or("");
    if (description.size() > 200) description.resize(200);
    done(UpstreamFailed(rid, request.tls, 400, "access_denied",
                        "The identity provider did not sign you in (" + *error +
                            (description.empty() ? "" : ": " + description) + ").",
                        "upstream error response: " + *error, tx.client_id, connection, ip));
    return;
  }
  std::string code = request.query.Get("code").value_or("");
  if (code.empty()) {
    done(UpstreamFailed(rid, request.tls, 400, "invalid_request",
                        "The identity provider answered without an authorization code.",
                        "callback without code", tx.client_id, connection, ip));
    return;
  }
  auto work = std::make_shared<UpstreamCallbackWork>();
  work->tx = std::move(tx);
  work->connection = std::move(connection);
  work->code = std::move(code);
  work->verifier = data.value("verifier", "");
  work->nonce = data.value("nonce", "");
  work->redirect_uri = data.value("redirect_uri", "");
  work->iss = request.query.Get("iss").value_or("");
  // The Request lives until `done`: the pool may use it.
  deps_.upstream->pool.Post(
      [self = shared_from_this(), &request, work, done = std::move(done)]() mutable {
        self->FinishUpstream(request, work, std::move(done));
      });
}

void FlowHandlers::FinishUpstream(http::Request& request,
                                  std::shared_ptr<UpstreamCallbackWork> work, http::Done done) {
  const UpstreamDeps& up = *deps_.upstream;
  const std::string& rid = request.request_id;
  const bool tls = request.tls;
  const std::string& ip = request.remote_ip;
  Transaction& tx = work->tx;
  auto fail = [&](int status, const std::string& error, const std::string& description,
                  const std::string& debug) {
    done(UpstreamFailed(rid, tls, status, error, description, debug, tx.client_id, work->connection,
                        ip));
  };
  auto c = up.connections.GetByName(work->connection);
  if (!c.ok()) {
    fail(400, "invalid_request", kNoSuchConnection, "connection gone: " + c.status().ToString());
    return;
  }
  const std::string name = Display(*c);
  // RFC 9207: a provider that names itself must be the one we sent the user to.
  if (!work->iss.empty()) {
    auto md = up.client.Metadata(*c);
    if (md.ok() && md->issuer != work->iss) {
      fail(400, "access_denied",
           "The answer did not come from " + name + ", so you were not signed in.",
           "callback iss " + work->iss + " is not " + md->issuer);
      return;
    }
  }
  auto identity = up.client.Redeem(*c, work->code, work->verifier, work->redirect_uri, work->nonce);
  if (!identity.ok()) {
    const Status& s = identity.status();
    switch (s.code()) {
      case ErrorCode::kUnavailable:
        fail(502, "temporarily_unavailable",
             name + " cannot be reached right now. Try again later.", s.ToString());
        return;
      case ErrorCode::kPermissionDenied:
        fail(400, "access_denied", name + " refused to complete the sign-in.", s.ToString());
        return;
      default:
        fail(400, "access_denied",
             "The answer from " + name +
                 " failed verification, so you were not signed in. Try again, or contact the "
                 "administrator.",
             s.ToString());
        return;
    }
  }
  auto login = up.users.SignIn(*c, identity->claims, ip);
  if (!login.ok()) {
    const Status& s = login.status();
    switch (s.code()) {
      case ErrorCode::kInvalidArgument:
        fail(400, "access_denied", s.message(), s.ToString());
        return;
      case ErrorCode::kPermissionDenied:
        fail(403, "access_denied", "This user is blocked. Contact the administrator.",
             s.ToString());
        return;
      case ErrorCode::kAlreadyExists:
        fail(409, "access_denied",
             "Another account of " + name + " already uses this email address.", s.ToString());
        return;
      default: done(ServiceErrorPage(rid, tls, s, "upstream_user_upsert")); return;
    }
  }
  log::Info("upstream_login", {{"user_id", login->user.user_id()},
                               {"connection", c->name},
                               {"created", login->created ? "true" : "false"},
                               {"linked", login->linked ? "true" : "false"},
                               {"request_id", rid}});
  tx.connection = c->name;
  std::string user_id = login->user.user_id();
  // The provider's code and state are not the application's request: rules
  // must not see (or log) them as context.request.query.
  request.query = http::Params{};
  StartSession(request, std::move(tx), user_id, std::move(login->user_json), std::move(done),
               json::array({"fed"}));
}

}  // namespace gatehouse::flow
