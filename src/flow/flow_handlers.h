#pragma once
// Internal to flow: the handlers behind RegisterFlowRoutes. One instance per
// router, shared by every I/O thread (all state is in storage, so a login may
// move between requests, threads and server nodes). Thread-safe.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "flow/flow_routes.h"
#include "flow/session_store.h"
#include "flow/transaction.h"
#include "http/cookie.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/renderer.h"

namespace gatehouse::flow {

class FlowHandlers : public std::enable_shared_from_this<FlowHandlers> {
 public:
  explicit FlowHandlers(FlowDeps deps);

  // GET /authorize: validate, create the transaction, then SSO, prompt=none
  // error, or the login page.
  void Authorize(http::Request& request, http::Done done);
  // GET /u/login?tx=, POST /u/login (tx, csrf, username, password).
  http::Response LoginPage(http::Request& request);
  // Hands the request to FlowDeps::password_pool when there is one.
  void LoginSubmit(http::Request& request, http::Done done);
  // GET /u/signup?tx=, POST /u/signup (tx, csrf, email, password, given_name, family_name).
  http::Response SignupPage(http::Request& request);
  void SignupSubmit(http::Request& request, http::Done done);
  // GET /continue?state=..., POST /continue (state in the query or the form):
  // resume a login paused by a redirect rule (SPEC §3.2, §3.3).
  void Continue(http::Request& request, http::Done done);
  // GET /v2/logout?client_id=&returnTo=
  http::Response Logout(http::Request& request);
  // Upstream connections (upstream_login.cc). GET /login/connection?tx=&connection=:
  // sends the browser to the provider (state, nonce, PKCE S256).
  void UpstreamStart(http::Request& request, http::Done done);
  // GET /login/callback?code=&state= (or error=): checks the answer, redeems
  // the code, signs the user in, then the normal pipeline.
  void UpstreamCallback(http::Request& request, http::Done done);

 private:
  // A transaction that belongs to the requesting browser.
  struct Bound {
    Transaction tx;
    std::string browser;  // the gh_tx cookie value
  };
  // The transaction `id` if it exists and the request carries its browser
  // cookie; otherwise the error page to answer with.
  std::variant<Bound, http::Response> LoadBound(const http::Request& request,
                                                const std::string& id);
  // A submitted hosted-page form: its fields and the transaction it belongs to.
  struct Submission {
    http::Params form;
    Bound bound;
  };
  // Checks what every form POST must pass (well-formed body, transaction bound
  // to this browser, CSRF token, login not finished); otherwise the error page.
  std::variant<Submission, http::Response> AcceptSubmission(const http::Request& request);
  // POST /u/login on the calling thread: verifies the password, then StartSession.
  void LoginSubmitNow(http::Request& request, http::Done done);

  // The SSO session of the request's cookie and its user, when it may log in
  // silently under `max_age` (0 never does).
  struct UsableSession {
    SsoSession session;
    nlohmann::json user;
  };
  std::optional<UsableSession> FindUsableSession(const http::Request& request,
                                                 std::optional<int64_t> max_age);

  // The user proved a password: renews the SSO session (session fixation),
  // moves the transaction to authenticated and continues with the pipeline.
  void StartSession(http::Request& request, Transaction tx, const std::string& user_id,
                    nlohmann::json user, http::Done done,
                    nlohmann::json amr = nlohmann::json::array({"pwd"}));
  // From authenticated (or rules_pass1, when the caller moved through
  // authenticated in one write): runs the login pipeline, then answers the client.
  void RunPipeline(http::Request& request, Transaction tx, nlohmann::json user,
                   std::vector<http::SetCookie> cookies, http::Done done);
  // After the first rules pass: redirect (SPEC §3.1), refuse a redirect under
  // prompt=none (§3.4), or finish.
  http::Response AfterRules(Transaction tx, const nlohmann::json& user, const RulesResult& result,
                            const std::vector<http::SetCookie>& cookies,
                            const std::string& request_id, bool tls, const std::string& host);
  // Persists the paused transaction, mints the /continue state, answers 302.
  http::Response StartRedirect(Transaction tx, const nlohmann::json& user,
                               const RulesResult& result,
                               const std::vector<http::SetCookie>& cookies,
                               const std::string& request_id, bool tls, const std::string& host);
  // Moves tx to `to` and sends `error` to the client (or our error page when
  // the move fails).
  http::Response EndWithError(Transaction& tx, LoginState to, const std::string& error,
                              const std::string& description,
                              const std::vector<http::SetCookie>& cookies,
                              const std::string& request_id, bool tls);
  // A refused /continue: 400, HTML or JSON by Accept; nothing consumed.
  http::Response ContinueRejected(const http::Request& request, const std::string& reason,
                                  const std::string& description);
  void Emit(storage::LogEvent event) const;
  http::Response FinishLogin(Transaction tx, const nlohmann::json& user,
                             const oauth::LoginOutcome& outcome,
                             const std::vector<http::SetCookie>& cookies,
                             const std::string& request_id, bool tls);

  http::Response RenderLogin(const http::Request& request, const Transaction& tx,
                             const std::string& browser, int status, std::string identifier,
                             std::string error);
  http::Response RenderSignup(const http::Request& request, const Transaction& tx,
                              const std::string& browser, int status,
                              const pages::SignupView& prefill);
  std::string ClientName(const std::string& client_id);

  // Our own error page (never a redirect).
  http::Response ErrorPage(const std::string& request_id, bool tls, int status,
                           const std::string& error, const std::string& description) const;
  // The error page for a failed transaction move or load, carrying `cookies`
  // (a renewed session must still reach the browser).
  http::Response TransactionErrorPage(const std::string& request_id, bool tls, const Status& status,
                                      const std::vector<http::SetCookie>& cookies = {}) const;
  // 503 for a transient storage failure, else a logged 500 (`what` names the
  // step in the log). The fallback of every handler's error switch.
  http::Response ServiceErrorPage(const std::string& request_id, bool tls, const Status& status,
                                  const char* what) const;
  // An authorization response to the client (code or error), with `cookies`.
  http::Response ToClient(const Transaction& tx,
                          std::vector<std::pair<std::string, std::string>> params,
                          const std::vector<http::SetCookie>& cookies) const;

  // Upstream connections (upstream_login.cc).
  // context.connection & co. for rules when `tx` came through a connection.
  void DescribeConnection(const Transaction& tx, RulesRun& run);
  // The login page's "Continue with" links for `tx`'s client.
  std::vector<pages::LoginView::ConnectionLink> ConnectionLinks(const Transaction& tx);
  // A failed upstream round trip: tenant log event "f" (with `debug`), error page.
  http::Response UpstreamFailed(const std::string& request_id, bool tls, int status,
                                const std::string& error, const std::string& description,
                                const std::string& debug, const std::string& client_id,
                                const std::string& connection, const std::string& ip);
  // Work for an upstream callback that runs on the upstream pool.
  struct UpstreamCallbackWork;
  void FinishUpstream(http::Request& request, std::shared_ptr<UpstreamCallbackWork> work,
                      http::Done done);

  FlowDeps deps_;
  TransactionStore transactions_;
  SessionStore sessions_;
  pages::Renderer renderer_;
};

}  // namespace gatehouse::flow
