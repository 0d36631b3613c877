// FlowHandlers: the redirect rule and /continue (SPEC §3). Kept apart from
// flow_handlers.cc so each file stays about one step of the flow.

#include <algorithm>

#include "core/logging.h"
#include "crypto/digest.h"
#include "flow/browser_cookies.h"
#include "flow/flow_handlers.h"
#include "flow/hex.h"
#include "flow/redirect_url.h"
#include "pages/security_headers.h"

namespace gatehouse::flow {
namespace {

using nlohmann::json;

// The /continue state record: id = hex SHA-256 of the state, data {"tx": id}.
constexpr const char* kContinueKind = "continue_state";
// A used or expired state still finds its transaction this long, so the
// browser gets the client's redirect_uri with an error instead of our page.
constexpr int64_t kResumeGraceSeconds = 86400;
constexpr const char* kRedirectCallback = "redirect-callback";

constexpr const char* kStateMissing = "The state parameter is missing.";
constexpr const char* kStateUnknown = "The state is invalid or was never issued.";
constexpr const char* kStateWrongBrowser =
    "This login was started in another browser, or this browser blocks cookies.";
constexpr const char* kStateWrongDomain = "This login was started on another domain.";
constexpr const char* kStateUsed = "The state has already been used.";
constexpr const char* kStateExpired = "The state has expired.";

bool WantsJson(const http::Request& request) {
  return request.Header("Accept").value_or("").find("application/json") != std::string::npos;
}

}  // namespace

void FlowHandlers::Emit(storage::LogEvent event) const {
  if (deps_.tenant_log != nullptr) deps_.tenant_log->Emit(std::move(event));
}

http::Response FlowHandlers::EndWithError(Transaction& tx, LoginState to, const std::string& error,
                                          const std::string& description,
                                          const std::vector<http::SetCookie>& cookies,
                                          const std::string& request_id, bool tls) {
  Status moved = transactions_.Transition(tx, to);
  if (!moved.ok()) {
    return TransactionErrorPage(request_id, tls, moved, cookies);
  }
  return ToClient(tx, {{"error", error}, {"error_description", description}}, cookies);
}

http::Response FlowHandlers::AfterRules(Transaction tx, const json& user, const RulesResult& result,
                                        const std::vector<http::SetCookie>& cookies,
                                        const std::string& request_id, bool tls,
                                        const std::string& host) {
  if (result.redirect_url && result.outcome.kind == oauth::LoginOutcome::Kind::kContinue) {
    if (tx.prompt == "none") {
      // SPEC §3.4: silent authentication can never skip a redirect.
      return EndWithError(tx, LoginState::kFailed, "interaction_required",
                          "A rule requires user interaction.", cookies, request_id, tls);
    }
    return StartRedirect(std::move(tx), user, result, cookies, request_id, tls, host);
  }
  return FinishLogin(std::move(tx), user, result.outcome, cookies, request_id, tls);
}

http::Response FlowHandlers::StartRedirect(Transaction tx, const json& user,
                                           const RulesResult& result,
                                           const std::vector<http::SetCookie>& cookies,
                                           const std::string& request_id, bool tls,
                                           const std::string& host) {
  const std::string& url = *result.redirect_url;
  Status valid = ValidateRedirectUrl(url, deps_.options.allow_http_redirects);
  if (!valid.ok()) {
    log::Warn(
        "rules_redirect_refused",
        {{"reason", valid.message()}, {"client_id", tx.client_id}, {"request_id", request_id}});
    {
      storage::LogEvent event;
      event.type = "f";
      event.description = "Rule redirect refused: " + valid.message();
      event.client_id = tx.client_id;
      event.user_id = tx.user_id;
      event.hostname = host;
      Emit(std::move(event));
    }
    return EndWithError(tx, LoginState::kFailed, "server_error",
                        "A rule redirected to an invalid URL.", cookies, request_id, tls);
  }
  int64_t now = deps_.clock.NowSeconds();
  // An action's tokens are already bound to the state its pass chose.
  std::string state =
      result.redirect_state.empty() ? deps_.random.Token(32) : result.redirect_state;
  std::string state_hash = Sha256Hex(state);
  int64_t state_expires_at = now + deps_.options.continue_state_seconds;
  json context = result.context.is_object() ? result.context : json::object();
  // First-pass claims and the redirect itself never reach the second pass.
  context.erase("idToken");
  context.erase("accessToken");
  context.erase("redirect");
  tx.resume = {{"state_hash", state_hash},
               {"state_expires_at", state_expires_at},
               {"host", host},
               {"protocol", "oidc-basic-profile"},
               {"user", user},
               {"context", std::move(context)},
               {"url", url}};
  // An action paused the pipeline: /continue resumes in that action.
  if (!result.action_pause.is_null()) tx.resume["action"] = result.action_pause;
  tx.expires_at = std::max(tx.expires_at, state_expires_at + kResumeGraceSeconds);
  auto created = deps_.storage.records().Create(kContinueKind, state_hash,
                                                json{{"tx", tx.id}}.dump(), tx.expires_at);
  if (!created.ok()) {
    return TransactionErrorPage(request_id, tls, created.status(), cookies);
  }
  Status moved = transactions_.Transition(tx, LoginState::kRedirectPending);
  if (!moved.ok()) {
    (void)deps_.storage.records().Delete(kContinueKind, state_hash);
    return TransactionErrorPage(request_id, tls, moved, cookies);
  }
  {
    storage::LogEvent event;
    event.type = "gh_redirect";
    event.description = "Rule redirected the login";
    event.client_id = tx.client_id;
    event.user_id = tx.user_id;
    event.hostname = host;
    event.details = json{{"url", url}, {"transaction", tx.id}}.dump();
    Emit(std::move(event));
  }
  http::Response res = http::Response::Redirect(AppendStateParam(url, state));
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("Referrer-Policy", "no-referrer");
  for (const auto& cookie : cookies) res.AddCookie(cookie);
  return res;
}

http::Response FlowHandlers::ContinueRejected(const http::Request& request,
                                              const std::string& reason,
                                              const std::string& description) {
  log::Info("resume_rejected", {{"reason", reason}, {"request_id", request.request_id}});
  {
    storage::LogEvent event;
    event.type = "gh_resume_rejected";
    event.description = description;
    event.ip = request.remote_ip;
    event.user_agent = request.Header("User-Agent").value_or("");
    event.hostname = request.Host();
    event.details = json{{"reason", reason}}.dump();
    Emit(std::move(event));
  }
  if (WantsJson(request)) {
    http::Response res = http::Response::Error(400, "invalid_request", description);
    res.SetHeader("Cache-Control", "no-store");
    return res;
  }
  return ErrorPage(request.request_id, request.tls, 400, "invalid_request", description);
}

void FlowHandlers::Continue(http::Request& request, http::Done done) {
  json query = json::object();
  for (const auto& [name, value] : request.query) query[name] = value;
  json body = json::object();
  std::string state = request.query.Get("state").value_or("");
  if (request.method == "POST") {
    auto form = request.Form();
    if (!form.ok()) {
      done(ContinueRejected(request, "unreadable_form", "The form could not be read."));
      return;
    }
    for (const auto& [name, value] : *form) body[name] = value;
    if (state.empty()) state = form->Get("state").value_or("");
  }
  if (state.empty()) {
    done(ContinueRejected(request, "missing_state", kStateMissing));
    return;
  }
  if (deps_.rules == nullptr) {
    // Without rules no login was ever paused.
    done(ContinueRejected(request, "unknown_state", kStateUnknown));
    return;
  }
  if (state.size() > 128) {
    done(ContinueRejected(request, "unknown_state", kStateUnknown));
    return;
  }
  std::string state_hash = Sha256Hex(state);
  auto record = deps_.storage.records().Get(kContinueKind, state_hash);
  if (!record.ok()) {
    if (record.status().code() != ErrorCode::kNotFound) {
      done(TransactionErrorPage(request.request_id, request.tls, record.status()));
      return;
    }
    done(ContinueRejected(request, "unknown_state", kStateUnknown));
    return;
  }
  json data = json::parse(record->data, nullptr, false);
  std::string tx_id = data.is_object() ? data.value("tx", "") : "";
  auto loaded = transactions_.Get(tx_id);
  if (!loaded.ok() || !loaded->resume.is_object() ||
      loaded->resume.value("state_hash", "") != state_hash) {
    done(ContinueRejected(request, "unknown_state", kStateUnknown));
    return;
  }
  Transaction tx = std::move(loaded).value();
  // SPEC §3.7: a flow stays on its domain; elsewhere the state means nothing.
  if (tx.resume.value("host", "") != request.Host()) {
    done(ContinueRejected(request, "wrong_domain", kStateWrongDomain));
    return;
  }
  auto browser = TokenCookie(request, kTransactionCookie);
  if (!browser || !crypto::ConstantTimeEquals(Sha256Hex(*browser), tx.browser_hash)) {
    // Not consumed: an attacker holding the state cannot burn the victim's login.
    done(ContinueRejected(request, "wrong_browser", kStateWrongBrowser));
    return;
  }
  auto rejected_to_client = [&](const std::string& reason, const char* description) {
    {
      storage::LogEvent event;
      event.type = "gh_resume_rejected";
      event.description = description;
      event.client_id = tx.client_id;
      event.user_id = tx.user_id;
      event.ip = request.remote_ip;
      event.hostname = request.Host();
      event.details = json{{"reason", reason}, {"transaction", tx.id}}.dump();
      Emit(std::move(event));
    }
    return ToClient(tx, {{"error", "invalid_request"}, {"error_description", description}}, {});
  };
  if (tx.state != LoginState::kRedirectPending) {
    done(rejected_to_client("state_used", kStateUsed));
    return;
  }
  if (deps_.clock.NowSeconds() >= tx.resume.value("state_expires_at", int64_t{0})) {
    Status moved = transactions_.Transition(tx, LoginState::kFailed);
    done(rejected_to_client(moved.ok() ? "state_expired" : "state_used",
                            moved.ok() ? kStateExpired : kStateUsed));
    return;
  }
  // The consume: of racing /continue requests exactly one moves the transaction.
  Status moved = transactions_.Transition(tx, LoginState::kRulesPass2);
  if (!moved.ok()) {
    if (moved.code() == ErrorCode::kConflict) {
      done(rejected_to_client("state_used", kStateUsed));
    } else {
      done(TransactionErrorPage(request.request_id, request.tls, moved));
    }
    return;
  }
  json user = tx.resume.value("user", json::object());
  if (deps_.options.reload_user_on_resume) {
    auto fresh = deps_.users.Get(tx.user_id);
    if (!fresh.ok()) {
      done(EndWithError(tx, LoginState::kFailed, "server_error", "The user could not be loaded.",
                        {}, request.request_id, request.tls));
      return;
    }
    user = fresh->ToJson();
  }
  auto client = deps_.clients.Get(tx.client_id);
  if (!client.ok() && client.status().code() != ErrorCode::kNotFound) {
    done(ServiceErrorPage(request.request_id, request.tls, client.status(), "resume_client_load"));
    return;
  }
  if (!client.ok()) {
    done(EndWithError(tx, LoginState::kFailed, "invalid_request",
                      "The application is no longer registered.", {}, request.request_id,
                      request.tls));
    return;
  }
  {
    storage::LogEvent event;
    event.type = "gh_resume";
    event.description = "Login resumed at /continue";
    event.client_id = tx.client_id;
    event.client_name = client->name;
    event.user_id = tx.user_id;
    event.ip = request.remote_ip;
    event.user_agent = request.Header("User-Agent").value_or("");
    event.hostname = request.Host();
    event.details = json{{"transaction", tx.id}}.dump();
    Emit(std::move(event));
  }
  RulesRun run;
  run.protocol = kRedirectCallback;
  run.original_protocol = tx.resume.value("protocol", "oidc-basic-profile");
  run.client = std::move(client).value();
  run.user = user;
  run.scope = tx.scope;
  run.audience = tx.audience;
  run.session_id = tx.session_id;
  run.transaction_id = tx.id;
  run.auth_time = tx.auth_time;
  run.ip = request.remote_ip;
  run.user_agent = request.Header("User-Agent").value_or("");
  run.hostname = request.Host();
  DescribeConnection(tx, run);
  run.query = std::move(query);
  run.body = std::move(body);
  run.resume_state = state;
  run.redirect_state = deps_.random.Token(32);
  run.issuer = tx.issuer;
  json action_pause = tx.resume.value("action", json());
  auto after = [self = shared_from_this(), tx = std::move(tx), user = std::move(user),
                done = std::move(done), request_id = request.request_id, tls = request.tls,
                host = request.Host()](const RulesResult& result) mutable {
    // A rule redirect in this pass was already ignored (and noted) by the
    // engine; an action after the rules may still redirect (actions_step.cc).
    done(self->AfterRules(std::move(tx), user, result, {}, request_id, tls, host));
  };
  if (action_pause.is_object()) {
    deps_.rules->ResumeActions(std::move(run), action_pause, std::move(after));
  } else {
    deps_.rules->RunRules(std::move(run), std::move(after));
  }
}

}  // namespace gatehouse::flow
