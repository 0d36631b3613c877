#include "flow/flow_handlers.h"

#include <algorithm>

#include "core/logging.h"
#include "crypto/digest.h"
#include "flow/browser_cookies.h"
#include "flow/csrf.h"
#include "flow/form_action.h"
#include "flow/hex.h"
#include "oauth/admin_access.h"
#include "oauth/authorization_code.h"
#include "oauth/authorization_response.h"
#include "oauth/authorize_request.h"
#include "oauth/issuer.h"
#include "pages/security_headers.h"

namespace gatehouse::flow {
namespace {

using nlohmann::json;
using Kind = oauth::LoginOutcome::Kind;

constexpr const char* kProtocol = "oidc-basic-profile";
// One generic answer for unknown users and wrong passwords (never reveal which).
constexpr const char* kWrongCredentials = "Wrong email or password.";
constexpr const char* kTooManyAttempts =
    "Too many failed login attempts. This account is blocked for logins from your network; "
    "reset your password or contact the administrator.";
constexpr const char* kUserBlocked = "This user is blocked. Contact the administrator.";
constexpr const char* kEmailTaken = "A user with this email address already exists.";
constexpr const char* kLoginGone = "This login has expired or does not exist.";
constexpr const char* kLoginFinished = "This login has already been completed.";
constexpr const char* kWrongBrowser =
    "This login was started in another browser, or this browser blocks cookies.";
constexpr const char* kBadForm = "The form could not be read.";
constexpr const char* kBadCsrf = "The form expired or was not sent from this site.";
constexpr const char* kUnavailable = "The service is temporarily unavailable. Try again shortly.";

std::string TitleFor(int status) {
  if (status >= 500) return "Something went wrong";
  return "This request cannot be completed";
}

// With rules, the POST of the login form may end in a redirect rule's 302 to
// any URL SPEC §3.1 allows, and browsers check form-action against it: widen
// the directive to exactly what a rule may redirect to.
void AllowRuleRedirects(http::Response& res, bool rules, bool allow_http) {
  if (!rules) return;
  std::string csp = res.GetHeader("Content-Security-Policy");
  auto at = csp.find("form-action ");
  if (at == std::string::npos) return;
  std::string sources =
      allow_http ? "https: http: " : "https: http://localhost:* http://127.0.0.1:* http://[::1]:* ";
  csp.insert(at + 12, sources);
  res.SetHeader("Content-Security-Policy", csp);
}

}  // namespace

FlowHandlers::FlowHandlers(FlowDeps deps)
    : deps_(std::move(deps)),
      transactions_(deps_.storage.records(), deps_.random, deps_.clock,
                    deps_.options.transaction_seconds),
      sessions_(deps_.storage.records(), deps_.random, deps_.clock, deps_.options.session_seconds) {
}

// ---------------------------------------------------------------- helpers

http::Response FlowHandlers::ErrorPage(const std::string& request_id, bool tls, int status,
                                       const std::string& error,
                                       const std::string& description) const {
  http::Response res =
      http::Response::Html(status, renderer_.RenderError({.title = TitleFor(status),
                                                          .error_code = error,
                                                          .description = description,
                                                          .request_id = request_id}));
  pages::ApplySecurityHeaders(res, tls);
  return res;
}

http::Response FlowHandlers::ServiceErrorPage(const std::string& request_id, bool tls,
                                              const Status& status, const char* what) const {
  if (status.code() == ErrorCode::kUnavailable) {
    return ErrorPage(request_id, tls, 503, "temporarily_unavailable", kUnavailable);
  }
  log::Error(what, {{"error", status.ToString()}, {"request_id", request_id}});
  return ErrorPage(request_id, tls, 500, "server_error", "An internal error occurred.");
}

http::Response FlowHandlers::TransactionErrorPage(
    const std::string& request_id, bool tls, const Status& status,
    const std::vector<http::SetCookie>& cookies) const {
  http::Response res;
  switch (status.code()) {
    case ErrorCode::kNotFound:
      res = ErrorPage(request_id, tls, 400, "invalid_request", kLoginGone);
      break;
    case ErrorCode::kConflict:
    case ErrorCode::kInvalidArgument:
      res = ErrorPage(request_id, tls, 400, "invalid_request", kLoginFinished);
      break;
    default: res = ServiceErrorPage(request_id, tls, status, "flow_storage_error");
  }
  for (const auto& cookie : cookies) res.AddCookie(cookie);
  return res;
}

http::Response FlowHandlers::ToClient(const Transaction& tx,
                                      std::vector<std::pair<std::string, std::string>> params,
                                      const std::vector<http::SetCookie>& cookies) const {
  params.emplace_back("state", tx.client_state);
  params.emplace_back("iss", tx.issuer);
  http::Response res = oauth::RespondToClient(tx.redirect_uri, tx.response_mode, params);
  if (res.GetHeader("Cache-Control").empty()) res.SetHeader("Cache-Control", "no-store");
  if (res.GetHeader("Referrer-Policy").empty()) res.SetHeader("Referrer-Policy", "no-referrer");
  for (const auto& cookie : cookies) res.AddCookie(cookie);
  return res;
}

std::variant<FlowHandlers::Bound, http::Response> FlowHandlers::LoadBound(
    const http::Request& request, const std::string& id) {
  if (id.empty() || id.size() > 64) {
    return ErrorPage(request.request_id, request.tls, 400, "invalid_request", kLoginGone);
  }
  auto tx = transactions_.Get(id);
  if (!tx.ok()) return TransactionErrorPage(request.request_id, request.tls, tx.status());
  auto browser = TokenCookie(request, kTransactionCookie);
  if (!browser || !crypto::ConstantTimeEquals(Sha256Hex(*browser), tx->browser_hash)) {
    return ErrorPage(request.request_id, request.tls, 400, "invalid_request", kWrongBrowser);
  }
  return Bound{std::move(tx).value(), *browser};
}

std::string FlowHandlers::ClientName(const std::string& client_id) {
  auto client = deps_.clients.Get(client_id);
  if (!client.ok() || client->name.empty()) return "the application";
  return client->name;
}

http::Response FlowHandlers::RenderLogin(const http::Request& request, const Transaction& tx,
                                         const std::string& browser, int status,
                                         std::string identifier, std::string error) {
  http::Response res = http::Response::Html(
      status, renderer_.RenderLogin({.client_name = ClientName(tx.client_id),
                                     .transaction_id = tx.id,
                                     .csrf_token = CsrfToken(deps_.csrf_key, tx.id, browser),
                                     .identifier = std::move(identifier),
                                     .error = std::move(error),
                                     .signup_url = "/u/signup?tx=" + tx.id,
                                     .connections = ConnectionLinks(tx)}));
  // The POST that follows redirects to the client: form-action must allow it.
  pages::ApplySecurityHeaders(res, request.tls, FormActionSource(tx.redirect_uri));
  AllowRuleRedirects(res, deps_.rules != nullptr, deps_.options.allow_http_redirects);
  return res;
}

http::Response FlowHandlers::RenderSignup(const http::Request& request, const Transaction& tx,
                                          const std::string& browser, int status,
                                          const pages::SignupView& prefill) {
  pages::SignupView view = prefill;
  view.client_name = ClientName(tx.client_id);
  view.transaction_id = tx.id;
  view.csrf_token = CsrfToken(deps_.csrf_key, tx.id, browser);
  view.login_url = "/u/login?tx=" + tx.id;
  http::Response res = http::Response::Html(status, renderer_.RenderSignup(view));
  pages::ApplySecurityHeaders(res, request.tls, FormActionSource(tx.redirect_uri));
  AllowRuleRedirects(res, deps_.rules != nullptr, deps_.options.allow_http_redirects);
  return res;
}

std::optional<FlowHandlers::UsableSession> FlowHandlers::FindUsableSession(
    const http::Request& request, std::optional<int64_t> max_age) {
  auto cookie = TokenCookie(request, kSessionCookie);
  if (!cookie) return std::nullopt;
  auto session = sessions_.Find(*cookie);
  if (!session.ok()) return std::nullopt;
  if (max_age) {
    // max_age=0 asks for a fresh authentication whatever the clock says.
    if (*max_age == 0) return std::nullopt;
    if (deps_.clock.NowSeconds() - session->auth_time > *max_age) return std::nullopt;
  }
  auto user = deps_.users.Get(session->user_id);
  if (!user.ok() || user->record.blocked) return std::nullopt;
  return UsableSession{std::move(session).value(), user->ToJson()};
}

// ---------------------------------------------------------------- /authorize

void FlowHandlers::Authorize(http::Request& request, http::Done done) {
  auto validation = oauth::ValidateAuthorizeRequest(request.query, deps_.clients);
  if (auto* fatal = std::get_if<oauth::FatalAuthorizeError>(&validation)) {
    log::Info("authorize_refused", {{"error", fatal->error.error},
                                    {"debug", fatal->error.debug},
                                    {"request_id", request.request_id}});
    // 400, or 503 when the client could not be loaded for a transient reason.
    done(ErrorPage(request.request_id, request.tls, fatal->error.http_status >= 500 ? 503 : 400,
                   fatal->error.error, fatal->error.description));
    return;
  }
  if (auto* err = std::get_if<oauth::RedirectAuthorizeError>(&validation)) {
    Transaction target;
    target.redirect_uri = err->redirect_uri;
    target.response_mode = err->response_mode;
    target.client_state = err->state;
    target.issuer = oauth::IssuerFor(request);
    done(ToClient(
        target, {{"error", err->error.error}, {"error_description", err->error.description}}, {}));
    return;
  }
  const auto& ar = std::get<oauth::AuthorizeRequest>(validation);

  std::string browser = TokenCookie(request, kTransactionCookie).value_or(deps_.random.Token(32));
  std::vector<http::SetCookie> cookies = {TransactionCookie(browser, request.tls)};

  Transaction draft;
  draft.browser_hash = Sha256Hex(browser);
  draft.client_id = ar.client.client_id;
  draft.redirect_uri = ar.redirect_uri;
  draft.response_mode = ar.response_mode.empty() ? "query" : ar.response_mode;
  draft.scope = ar.ScopeString();
  draft.client_state = ar.state;
  draft.nonce = ar.nonce;
  draft.prompt = ar.prompt;
  draft.max_age = ar.max_age;
  draft.audience = ar.audience;
  draft.code_challenge = ar.code_challenge;
  draft.code_challenge_method = ar.code_challenge_method;
  draft.login_hint = ar.login_hint;
  draft.issuer = oauth::IssuerFor(request);
  auto created = transactions_.Create(std::move(draft));
  if (!created.ok()) {
    done(TransactionErrorPage(request.request_id, request.tls, created.status()));
    return;
  }
  Transaction tx = std::move(created).value();

  if (ar.prompt != "login") {
    if (auto usable = FindUsableSession(request, ar.max_age)) {
      tx.user_id = usable->session.user_id;
      tx.auth_time = usable->session.auth_time;
      tx.session_id = usable->session.id;
      tx.amr = usable->session.amr;
      // authenticated and rules_pass1 in one write (RunPipeline starts the rules next).
      Status moved =
          transactions_.TransitionVia(tx, LoginState::kAuthenticated, LoginState::kRulesPass1);
      if (!moved.ok()) {
        done(TransactionErrorPage(request.request_id, request.tls, moved));
        return;
      }
      // Best effort: the list only informs logout; a lost race loses nothing else.
      (void)sessions_.AddClient(usable->session, tx.client_id);
      RunPipeline(request, std::move(tx), std::move(usable->user), std::move(cookies),
                  std::move(done));
      return;
    }
  }
  if (ar.prompt == "none") {
    Status moved = transactions_.Transition(tx, LoginState::kFailed);
    if (!moved.ok()) {
      done(TransactionErrorPage(request.request_id, request.tls, moved));
      return;
    }
    done(ToClient(tx, {{"error", "login_required"}, {"error_description", "Login required"}},
                  cookies));
    return;
  }
  // connection=<name>: straight to that upstream provider (upstream_login.cc).
  auto connection = request.query.Get("connection");
  bool upstream = deps_.upstream != nullptr && connection && !connection->empty() &&
                  *connection != accounts::kDatabaseConnection;
  http::Response res = http::Response::Redirect(
      upstream ? "/login/connection?tx=" + tx.id + "&connection=" + http::UrlEncode(*connection)
               : "/u/login?tx=" + tx.id);
  pages::ApplySecurityHeaders(res, request.tls);
  for (const auto& cookie : cookies) res.AddCookie(cookie);
  done(std::move(res));
}

// ---------------------------------------------------------------- /u/login

http::Response FlowHandlers::LoginPage(http::Request& request) {
  auto bound = LoadBound(request, request.query.Get("tx").value_or(""));
  if (auto* error = std::get_if<http::Response>(&bound)) return std::move(*error);
  auto& [tx, browser] = std::get<Bound>(bound);
  if (tx.state != LoginState::kCreated) {
    return ErrorPage(request.request_id, request.tls, 400, "invalid_request", kLoginFinished);
  }
  return RenderLogin(request, tx, browser, 200, tx.login_hint, "");
}

std::variant<FlowHandlers::Submission, http::Response> FlowHandlers::AcceptSubmission(
    const http::Request& request) {
  auto form = request.Form();
  if (!form.ok()) {
    return ErrorPage(request.request_id, request.tls, 400, "invalid_request", kBadForm);
  }
  auto bound = LoadBound(request, form->Get("tx").value_or(""));
  if (auto* error = std::get_if<http::Response>(&bound)) return std::move(*error);
  auto& [tx, browser] = std::get<Bound>(bound);
  if (!CsrfValid(deps_.csrf_key, tx.id, browser, form->Get("csrf").value_or(""))) {
    return ErrorPage(request.request_id, request.tls, 403, "invalid_request", kBadCsrf);
  }
  if (tx.state != LoginState::kCreated) {
    return ErrorPage(request.request_id, request.tls, 400, "invalid_request", kLoginFinished);
  }
  return Submission{std::move(form).value(), std::move(std::get<Bound>(bound))};
}

void FlowHandlers::LoginSubmit(http::Request& request, http::Done done) {
  if (deps_.password_pool == nullptr) return LoginSubmitNow(request, std::move(done));
  // The request stays alive until `done` is called (http::AsyncHandler).
  auto shared_done = std::make_shared<http::Done>(std::move(done));
  bool posted = deps_.password_pool->Post([self = shared_from_this(), &request, shared_done] {
    self->LoginSubmitNow(request, std::move(*shared_done));
  });
  if (!posted) {
    (*shared_done)(ErrorPage(request.request_id, request.tls, 503, "temporarily_unavailable",
                             "The server is shutting down."));
  }
}

void FlowHandlers::LoginSubmitNow(http::Request& request, http::Done done) {
  auto accepted = AcceptSubmission(request);
  if (auto* error = std::get_if<http::Response>(&accepted)) {
    done(std::move(*error));
    return;
  }
  auto& [form, bound] = std::get<Submission>(accepted);
  auto& [tx, browser] = bound;
  std::string identifier = form.Get("username").value_or("");
  std::string password = form.Get("password").value_or("");
  auto user = deps_.users.Authenticate(identifier, password, request.remote_ip);
  if (!user.ok()) {
    const Status& s = user.status();
    log::Info("login_failed", {{"reason", ErrorCodeName(s.code())},
                               {"client_id", tx.client_id},
                               {"ip", request.remote_ip},
                               {"request_id", request.request_id}});
    const char* type = s.code() == ErrorCode::kNotFound            ? "fu"
                       : s.code() == ErrorCode::kUnauthenticated   ? "fp"
                       : s.code() == ErrorCode::kResourceExhausted ? "limit_wc"
                                                                   : "f";
    {
      storage::LogEvent event;
      event.type = type;
      event.description = s.code() == ErrorCode::kNotFound ? "Unknown user" : s.message();
      event.client_id = tx.client_id;
      event.user_name = identifier;
      event.ip = request.remote_ip;
      event.user_agent = request.Header("User-Agent").value_or("");
      event.hostname = request.Host();
      event.connection = "Username-Password-Authentication";
      Emit(std::move(event));
    }
    switch (s.code()) {
      case ErrorCode::kUnauthenticated:
      case ErrorCode::kInvalidArgument:
      case ErrorCode::kNotFound:
        done(RenderLogin(request, tx, browser, 400, identifier, kWrongCredentials));
        return;
      case ErrorCode::kResourceExhausted:
        done(RenderLogin(request, tx, browser, 429, identifier, kTooManyAttempts));
        return;
      case ErrorCode::kPermissionDenied:
        done(RenderLogin(request, tx, browser, 403, identifier, kUserBlocked));
        return;
      default: done(ServiceErrorPage(request.request_id, request.tls, s, "login_error")); return;
    }
  }
  std::string user_id = user->user_id();
  StartSession(request, std::move(tx), user_id, user->ToJson(), std::move(done));
}

// ---------------------------------------------------------------- /u/signup

http::Response FlowHandlers::SignupPage(http::Request& request) {
  auto bound = LoadBound(request, request.query.Get("tx").value_or(""));
  if (auto* error = std::get_if<http::Response>(&bound)) return std::move(*error);
  auto& [tx, browser] = std::get<Bound>(bound);
  if (tx.state != LoginState::kCreated) {
    return ErrorPage(request.request_id, request.tls, 400, "invalid_request", kLoginFinished);
  }
  pages::SignupView prefill;
  if (tx.login_hint.find('@') != std::string::npos) prefill.email = tx.login_hint;
  return RenderSignup(request, tx, browser, 200, prefill);
}

void FlowHandlers::SignupSubmit(http::Request& request, http::Done done) {
  auto accepted = AcceptSubmission(request);
  if (auto* error = std::get_if<http::Response>(&accepted)) {
    done(std::move(*error));
    return;
  }
  auto& [form, bound] = std::get<Submission>(accepted);
  auto& [tx, browser] = bound;
  accounts::SignUpInput input;
  input.email = form.Get("email").value_or("");
  input.password = form.Get("password").value_or("");
  input.given_name = form.Get("given_name").value_or("");
  input.family_name = form.Get("family_name").value_or("");
  pages::SignupView prefill{
      .email = input.email, .given_name = input.given_name, .family_name = input.family_name};
  auto created = deps_.users.SignUp(input);
  if (!created.ok()) {
    const Status& s = created.status();
    switch (s.code()) {
      case ErrorCode::kInvalidArgument:
        // UserService promises messages that are safe to show.
        prefill.error = s.message();
        done(RenderSignup(request, tx, browser, 400, prefill));
        return;
      case ErrorCode::kAlreadyExists:
        prefill.error = kEmailTaken;
        done(RenderSignup(request, tx, browser, 400, prefill));
        return;
      default: done(ServiceErrorPage(request.request_id, request.tls, s, "signup_error")); return;
    }
  }
  log::Info("signup", {{"user_id", created->user_id()}, {"client_id", tx.client_id}});
  // The sign-up is the user's first login (logins_count, last_login, last_ip), as in Auth0:
  // recorded directly, since the password was just set (no second hash verification).
  auto logged_in = deps_.storage.users().RecordLogin(created->user_id(), request.remote_ip);
  json user = logged_in.ok() ? accounts::User{*logged_in}.ToJson() : created->ToJson();
  StartSession(request, std::move(tx), created->user_id(), std::move(user), std::move(done));
}

// ---------------------------------------------------------------- completion

void FlowHandlers::StartSession(http::Request& request, Transaction tx, const std::string& user_id,
                                json user, http::Done done, json amr) {
  // Session fixation: whatever session id the browser had dies, the login gets a new one.
  if (auto old = request.Cookie(kSessionCookie); old && !old->empty()) {
    Status deleted = sessions_.Delete(*old);
    if (!deleted.ok()) log::Warn("session_delete_failed", {{"error", deleted.ToString()}});
  }
  int64_t now = deps_.clock.NowSeconds();
  auto session = sessions_.Create(user_id, now, amr, tx.client_id);
  if (!session.ok()) {
    done(TransactionErrorPage(request.request_id, request.tls, session.status()));
    return;
  }
  tx.user_id = user_id;
  tx.auth_time = now;
  tx.session_id = session->session.id;
  tx.amr = amr;
  // authenticated and rules_pass1 in one write (RunPipeline starts the rules next).
  Status moved =
      transactions_.TransitionVia(tx, LoginState::kAuthenticated, LoginState::kRulesPass1);
  if (!moved.ok()) {
    // Another request finished this login first; its session is the one that counts.
    (void)sessions_.Delete(session->cookie_value);
    done(TransactionErrorPage(request.request_id, request.tls, moved));
    return;
  }
  log::Info("login_succeeded", {{"user_id", user_id},
                                {"client_id", tx.client_id},
                                {"ip", request.remote_ip},
                                {"request_id", request.request_id}});
  std::vector<http::SetCookie> cookies = {
      SessionCookie(session->cookie_value, sessions_.lifetime_seconds(), request.tls)};
  RunPipeline(request, std::move(tx), std::move(user), std::move(cookies), std::move(done));
}

void FlowHandlers::RunPipeline(http::Request& request, Transaction tx, json user,
                               std::vector<http::SetCookie> cookies, http::Done done) {
  auto client = deps_.clients.Get(tx.client_id);
  if (!client.ok() && client.status().code() != ErrorCode::kNotFound) {
    // The database is away (503) or broken (500): not the client's fault.
    http::Response res =
        ServiceErrorPage(request.request_id, request.tls, client.status(), "pipeline_client_load");
    for (const auto& cookie : cookies) res.AddCookie(cookie);
    done(std::move(res));
    return;
  }
  if (!client.ok()) {
    (void)transactions_.Transition(tx, LoginState::kFailed);
    http::Response res = ErrorPage(request.request_id, request.tls, 400, "invalid_request",
                                   "The application is no longer registered.");
    for (const auto& cookie : cookies) res.AddCookie(cookie);
    done(std::move(res));
    return;
  }
  if (tx.state != LoginState::kRulesPass1) {
    Status moved = transactions_.Transition(tx, LoginState::kRulesPass1);
    if (!moved.ok()) {
      done(TransactionErrorPage(request.request_id, request.tls, moved, cookies));
      return;
    }
  }
  oauth::LoginRequest login;
  login.protocol = kProtocol;
  login.client = std::move(client).value();
  login.user = user;
  login.scope = tx.scope;
  login.audience = tx.audience;
  login.ip = request.remote_ip;
  login.user_agent = request.Header("User-Agent").value_or("");
  login.hostname = request.Host();
  if (deps_.rules != nullptr) {
    RulesRun run;
    run.protocol = kProtocol;
    run.client = std::move(login.client);
    run.user = user;
    run.scope = tx.scope;
    run.audience = tx.audience;
    run.session_id = tx.session_id;
    run.transaction_id = tx.id;
    run.auth_time = tx.auth_time;
    run.ip = std::move(login.ip);
    run.user_agent = std::move(login.user_agent);
    run.hostname = login.hostname;
    DescribeConnection(tx, run);
    for (const auto& [name, value] : request.query) run.query[name] = value;
    run.redirect_state = deps_.random.Token(32);  // what an action's redirect would use
    run.issuer = tx.issuer;
    // The rules may answer on a rules worker; everything the answer needs is copied.
    deps_.rules->RunRules(
        std::move(run),
        [self = shared_from_this(), tx = std::move(tx), user = std::move(user),
         cookies = std::move(cookies), done = std::move(done), request_id = request.request_id,
         tls = request.tls, host = login.hostname](const RulesResult& result) mutable {
          done(self->AfterRules(std::move(tx), user, result, cookies, request_id, tls, host));
        });
    return;
  }
  // The pipeline may answer on another thread; everything the answer needs is copied.
  deps_.pipeline.Run(std::move(login), [self = shared_from_this(), tx = std::move(tx),
                                        user = std::move(user), cookies = std::move(cookies),
                                        done = std::move(done), request_id = request.request_id,
                                        tls = request.tls](const oauth::LoginOutcome& outcome) {
    done(self->FinishLogin(tx, user, outcome, cookies, request_id, tls));
  });
}

http::Response FlowHandlers::FinishLogin(Transaction tx, const json& user,
                                         const oauth::LoginOutcome& outcome,
                                         const std::vector<http::SetCookie>& cookies,
                                         const std::string& request_id, bool tls) {
  auto fail = [&](LoginState to, const std::string& error, const std::string& description) {
    Status moved = transactions_.Transition(tx, to);
    if (!moved.ok()) {
      return TransactionErrorPage(request_id, tls, moved, cookies);
    }
    return ToClient(tx, {{"error", error}, {"error_description", description}}, cookies);
  };
  if (outcome.kind != Kind::kContinue) {
    {
      storage::LogEvent event;
      event.type = "f";
      event.description =
          outcome.error_description.empty() ? outcome.error : outcome.error_description;
      event.client_id = tx.client_id;
      event.user_id = tx.user_id;
      event.connection = tx.connection.empty() ? accounts::kDatabaseConnection : tx.connection;
      event.details = json{{"error", outcome.error}, {"transaction", tx.id}}.dump();
      Emit(std::move(event));
    }
  }
  switch (outcome.kind) {
    case Kind::kDeny:
      return fail(LoginState::kDenied, outcome.error.empty() ? "access_denied" : outcome.error,
                  outcome.error_description);
    case Kind::kInteractionRequired:
      return fail(LoginState::kFailed,
                  outcome.error.empty() ? "interaction_required" : outcome.error,
                  outcome.error_description);
    case Kind::kError:
      return fail(LoginState::kFailed, outcome.error.empty() ? "server_error" : outcome.error,
                  outcome.error_description);
    case Kind::kContinue: break;
  }

  // The Management API audience (only the admin dashboard may ask for it)
  // completes for administrators only, judged on the stored user, not on
  // what the rules returned. A refusal page, not a redirect: the dashboard
  // has nothing to show a non-administrator.
  if (oauth::IsManagementAudience(tx.audience)) {
    auto stored = deps_.users.Get(tx.user_id);
    if (!stored.ok() || !oauth::IsAdminUser(stored->ToJson())) {
      (void)transactions_.Transition(tx, LoginState::kDenied);
      http::Response res =
          ErrorPage(request_id, tls, 403, "access_denied",
                    "This account is not a Gatehouse administrator. Ask the operator to run "
                    "`gatehouse admins add <email>`, or sign in with an administrator account.");
      for (const auto& cookie : cookies) res.AddCookie(cookie);
      return res;
    }
  }
  oauth::CodeGrant grant;
  grant.client_id = tx.client_id;
  grant.user_id = tx.user_id;
  grant.redirect_uri = tx.redirect_uri;
  grant.scope = outcome.scope.empty() ? tx.scope : outcome.scope;
  grant.audience = tx.audience;
  grant.nonce = tx.nonce;
  grant.auth_time = tx.auth_time;
  grant.code_challenge = tx.code_challenge;
  grant.code_challenge_method = tx.code_challenge_method;
  grant.session_id = tx.session_id;
  grant.issuer = tx.issuer;
  grant.amr = tx.amr;
  grant.id_token_claims = outcome.id_token_claims;
  grant.access_token_claims = outcome.access_token_claims;
  grant.user = outcome.user.is_object() ? outcome.user : user;
  auto code = oauth::IssueAuthorizationCode(deps_.storage, deps_.random, deps_.clock, grant);
  if (!code.ok()) {
    log::Error("code_issue_failed",
               {{"error", code.status().ToString()}, {"request_id", request_id}});
    return fail(LoginState::kFailed, "server_error", "The authorization code could not be issued.");
  }
  Status moved = transactions_.Transition(tx, LoginState::kCompleted);
  if (!moved.ok()) {
    // Someone else moved it: the code stays unused and expires within a minute.
    return TransactionErrorPage(request_id, tls, moved, cookies);
  }
  {
    storage::LogEvent event;
    event.type = "s";
    event.description = "Successful login";
    event.client_id = tx.client_id;
    event.user_id = tx.user_id;
    event.user_name = grant.user.value("email", "");
    event.connection = tx.connection.empty() ? accounts::kDatabaseConnection : tx.connection;
    event.details = json{{"transaction", tx.id}}.dump();
    Emit(std::move(event));
  }
  return ToClient(tx, {{"code", *code}}, cookies);
}

// ---------------------------------------------------------------- /v2/logout

http::Response FlowHandlers::Logout(http::Request& request) {
  if (auto cookie = request.Cookie(kSessionCookie); cookie && !cookie->empty()) {
    Status deleted = sessions_.Delete(*cookie);
    if (!deleted.ok()) log::Warn("session_delete_failed", {{"error", deleted.ToString()}});
  }
  auto client_id = request.query.Get("client_id");
  auto return_to = request.query.Get("returnTo");
  http::Response res;
  bool redirected = false;
  if (client_id && return_to && !return_to->empty()) {
    auto client = deps_.clients.Get(*client_id);
    if (client.ok()) {
      const auto& allowed = client->allowed_logout_urls;
      // Byte-exact: anything looser is an open redirect.
      if (std::find(allowed.begin(), allowed.end(), *return_to) != allowed.end()) {
        res = http::Response::Redirect(*return_to);
        redirected = true;
      }
    }
  }
  if (!redirected) res = http::Response::Html(200, renderer_.RenderLoggedOut());
  pages::ApplySecurityHeaders(res, request.tls);
  res.AddCookie(ClearSessionCookie(request.tls));
  return res;
}

}  // namespace gatehouse::flow
