#include "password-change-app/password_app.h"

#include <nlohmann/json.hpp>

#include "common/html.h"
#include "common/signed_session.h"
#include "common/work_queue.h"
#include "core/base64url.h"
#include "crypto/digest.h"
#include "crypto/secure_random.h"
#include "http/headers.h"
#include "http/params.h"
#include "jose/jwt.h"

namespace gatehouse::examples {
namespace {

using nlohmann::json;

constexpr size_t kMaxPasswordBytes = 256;  // the tenant's policy (accounts/password_policy.h)

// Code points, as the tenant's policy counts them.
size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class PasswordApp {
 public:
  PasswordApp(PasswordAppOptions o, std::shared_ptr<ManagementClient> management)
      : options_(std::move(o)),
        management_(std::move(management)),
        session_("password_session",
                 options_.session_key.empty() ? crypto::SecureRandom::Instance().Bytes(32)
                                              : options_.session_key,
                 options_.session_ttl, *options_.clock, options_.secure_cookies) {}

  // GET /?token=...&state=...
  http::Response Start(const http::Request& req) const {
    const std::string nonce = NewNonce();
    auto token = req.query.Get("token");
    auto state = req.query.Get("state");
    if (!token || !state || state->empty()) {
      return Problem(400, nonce, "Nothing to change here",
                     "This page is opened by the login of an application. Go back to the "
                     "application and log in.");
    }
    jose::JwtValidation rules;
    rules.issuer = options_.token_issuer;
    rules.audience = options_.token_audience;
    auto verified =
        jose::VerifyJwt(*token, jose::Alg::kHS256,
                        jose::FixedKey(jose::VerificationKey::Secret(options_.token_secret)), rules,
                        *options_.clock);
    const json* sub =
        verified.ok() && verified->claims.contains("sub") ? &verified->claims["sub"] : nullptr;
    if (sub == nullptr || !sub->is_string() || sub->get<std::string>().empty()) {
      return Problem(400, nonce, "This link is not valid",
                     verified.status().code() == ErrorCode::kExpired
                         ? "The link has expired. Go back to the application and log in again."
                         : "The link is not valid. Go back to the application and log in again.");
    }
    auto res = http::Response::Redirect("/change-password", 303);
    res.SetHeader("Cache-Control", "no-store");
    res.SetHeader("Referrer-Policy", "no-referrer");
    res.AddCookie(
        session_.Issue({{"sub", *sub},
                        {"email", verified->claims.value("email", "")},
                        {"state", *state},
                        {"csrf", Base64UrlEncode(crypto::SecureRandom::Instance().Bytes(32))}}));
    return res;
  }

  // GET /change-password
  http::Response Show(const http::Request& req) const {
    const std::string nonce = NewNonce();
    auto session = session_.Read(req);
    if (!session.ok()) return NoSession(nonce, session.status());
    return FormPage(200, nonce, *session, "");
  }

  // POST /change-password: checks on the I/O thread, the API call on the worker.
  void Submit(const http::Request& req, http::Done done,
              const std::shared_ptr<const PasswordApp>& self) const {
    const std::string nonce = NewNonce();
    auto session = session_.Read(req);
    if (!session.ok()) return done(NoSession(nonce, session.status()));
    auto form = req.Form();
    const std::string sent = form.ok() ? form->Get("csrf").value_or("") : "";
    if (sent.empty() || !crypto::ConstantTimeEquals(sent, (*session)["csrf"].get<std::string>())) {
      return done(Problem(403, nonce, "Please try again",
                          "This form was not sent by this page, or it has expired. Reload the "
                          "page and submit it again."));
    }
    std::string password = form->Get("password").value_or("");
    const std::string confirmation = form->Get("confirm_password").value_or("");
    const std::string email = (*session)["email"].get<std::string>();
    std::string error;
    if (password != confirmation) {
      error = "The two passwords do not match.";
    } else if (Utf8Length(password) < static_cast<size_t>(options_.min_password_length)) {
      error = "Use at least " + std::to_string(options_.min_password_length) + " characters.";
    } else if (password.size() > kMaxPasswordBytes) {
      error = "Use at most 256 characters.";
    } else if (!email.empty() && http::EqualsIgnoreCase(password, email)) {
      error = "Your password cannot be your email address.";
    }
    if (!error.empty()) return done(FormPage(422, nonce, *session, error));

    // Blocking HTTP to Gatehouse: off the I/O thread.
    worker_.Post([self, session = std::move(*session), password = std::move(password),
                  done = std::move(done),
                  nonce] { done(self->ChangePassword(session, password, nonce)); });
  }

 private:
  http::Response ChangePassword(const json& session, const std::string& password,
                                const std::string& nonce) const {
    const std::string sub = session["sub"].get<std::string>();
    Status changed = management_->SetPassword(sub, password);
    if (changed.code() == ErrorCode::kInvalidArgument) {
      return FormPage(422, nonce, session, changed.message());
    }
    if (!changed.ok()) {
      std::fprintf(stderr, "password-change-app: %s\n", changed.ToString().c_str());
      return Problem(502, nonce, "Your password was not changed",
                     "We could not reach the login service. Please try again in a moment.");
    }
    const int64_t now = options_.clock->NowSeconds();
    auto key = jose::SigningKey::Hmac(jose::Alg::kHS256, options_.token_secret);
    auto token = jose::SignJwt({{"sub", sub},
                                {"passwordChanged", true},
                                {"iss", options_.token_audience},
                                {"aud", options_.token_issuer},
                                {"iat", now},
                                {"exp", now + 300}},
                               *key);
    if (!token.ok()) {
      return Problem(500, nonce, "Something went wrong", "Please log in again.");
    }
    auto res = http::Response::Redirect(options_.gatehouse_url + "/continue?state=" +
                                            http::UrlEncode(session["state"].get<std::string>()) +
                                            "&token=" + *token,
                                        303);
    res.SetHeader("Cache-Control", "no-store");
    res.AddCookie(session_.Clear());
    return res;
  }

  http::Response FormPage(int status, const std::string& nonce, const json& session,
                          const std::string& error) const {
    const std::string email = session["email"].get<std::string>();
    std::string body =
        "<div class=\"brand\">Example Corp</div><h1>Choose a new password</h1>"
        "<p>Your administrator asks you to change your password before you continue" +
        (email.empty() ? std::string() : " as <strong>" + Escape(email) + "</strong>") + ".</p>";
    if (!error.empty()) body += "<div class=\"alert\" role=\"alert\">" + Escape(error) + "</div>";
    body += "<form method=\"post\" action=\"/change-password\" novalidate>";
    body += "<input type=\"hidden\" name=\"csrf\" value=\"" +
            Escape(session["csrf"].get<std::string>()) + "\">";
    body +=
        "<label for=\"password\">New password</label>"
        "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" "
        "aria-describedby=\"policy\">"
        "<p class=\"hint\" id=\"policy\">At least " +
        std::to_string(options_.min_password_length) +
        " characters, and not your email address.</p>"
        "<label for=\"confirm_password\">Confirm new password</label>"
        "<input id=\"confirm_password\" name=\"confirm_password\" type=\"password\" "
        "autocomplete=\"new-password\">"
        "<button type=\"submit\">Change password</button></form>";
    // The 303 that follows a successful POST leads to Gatehouse and then to
    // the application: no form-action restriction (see PageResponse).
    return PageResponse(status, Page("Change your password", body, nonce), nonce, "");
  }

  http::Response NoSession(const std::string& nonce, const Status& why) const {
    auto res = Problem(400, nonce, "No password change in progress",
                       why.code() == ErrorCode::kNotFound
                           ? "There is nothing to change here: either your password was already "
                             "changed, or this page was opened directly. Go back to the "
                             "application."
                           : "Your session has expired or is not valid. Go back to the "
                             "application and log in again.");
    res.AddCookie(session_.Clear());
    return res;
  }

  http::Response Problem(int status, const std::string& nonce, const std::string& title,
                         const std::string& text) const {
    const std::string body = "<div class=\"brand\">Example Corp</div><h1>" + Escape(title) +
                             "</h1><p>" + Escape(text) + "</p>";
    return PageResponse(status, Page(title, body, nonce), nonce);
  }

  PasswordAppOptions options_;
  std::shared_ptr<ManagementClient> management_;
  SignedSession session_;
  mutable WorkQueue worker_;
};

}  // namespace

Status RegisterPasswordApp(http::Router& router, PasswordAppOptions options,
                           std::shared_ptr<ManagementClient> management) {
  if (options.token_issuer.empty() || options.token_audience.empty() ||
      options.gatehouse_url.empty() || !management) {
    return InvalidArgument(
        "token issuer, token audience, the Gatehouse URL and a management client are required");
  }
  if (options.token_secret.size() < 32) {
    return InvalidArgument("the token secret must be at least 32 bytes (HS256)");
  }
  while (!options.gatehouse_url.empty() && options.gatehouse_url.back() == '/') {
    options.gatehouse_url.pop_back();
  }
  auto app = std::make_shared<const PasswordApp>(std::move(options), std::move(management));
  router.Add("GET", "/", [app](http::Request& r) { return app->Start(r); });
  router.Add("GET", "/change-password", [app](http::Request& r) { return app->Show(r); });
  router.AddAsync(
      "POST", "/change-password",
      [app](http::Request& r, http::Done done) { app->Submit(r, std::move(done), app); },
      {.max_body_bytes = 16 * 1024});
  return Status::Ok();
}

}  // namespace gatehouse::examples
