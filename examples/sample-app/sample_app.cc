#include "sample-app/sample_app.h"

#include <nlohmann/json.hpp>

#include "common/html.h"
#include "common/signed_session.h"
#include "common/work_queue.h"
#include "core/base64url.h"
#include "crypto/digest.h"
#include "crypto/secure_random.h"
#include "http/params.h"

namespace gatehouse::examples {
namespace {

using nlohmann::json;

std::string Random32() { return Base64UrlEncode(crypto::SecureRandom::Instance().Bytes(32)); }

class SampleApp {
 public:
  SampleApp(SampleAppOptions o, std::shared_ptr<http::OutboundClient> http)
      : options_(std::move(o)),
        http_(std::move(http)),
        // The login attempt (state, nonce, verifier) and the signed-in user
        // are two cookies: starting a new login does not sign anyone out.
        pending_("sample_login", Key(), std::chrono::minutes(15), *options_.clock, false),
        user_("sample_user", Key(), std::chrono::hours(8), *options_.clock, false) {}

  http::Response Home(const http::Request& req) const {
    const std::string nonce = NewNonce();
    // "Log in" is a link, not a form: browsers check a form's CSP form-action
    // against the redirect to Gatehouse that /login answers.
    std::string body = "<div class=\"brand\">Gatehouse demo</div>";
    auto user = user_.Read(req);
    if (user.ok()) {
      const json& claims = (*user)["claims"];
      body += "<h1>Hello, " + Escape(claims.value("email", claims.value("sub", "you"))) +
              "</h1><p>You are logged in. These are the claims of your ID token:</p><pre>" +
              Escape(claims.dump(2)) +
              "</pre><p><a href=\"/login\">Log in again</a> &middot; "
              "<a href=\"/logout\">Log out</a></p>";
    } else {
      body +=
          "<h1>Sample application</h1><p>This application signs you in with Gatehouse "
          "(authorization code flow with PKCE). The login runs the example rules: forced "
          "password change, terms of service and progressive profiling.</p>"
          "<a class=\"button\" href=\"/login\">Log in</a>";
    }
    return PageResponse(200, Page("Sample application", body, nonce), nonce);
  }

  http::Response Login(const http::Request&) const {
    const std::string state = Random32(), oidc_nonce = Random32(), verifier = Random32();
    const std::string challenge = Base64UrlEncode(crypto::Digest(crypto::Hash::kSha256, verifier));
    auto res = http::Response::Redirect(
        options_.gatehouse_url +
        "/authorize?response_type=code&client_id=" + http::UrlEncode(options_.client_id) +
        "&redirect_uri=" + http::UrlEncode(options_.app_url + "/callback") +
        "&scope=" + http::UrlEncode("openid profile email") + "&state=" + state +
        "&nonce=" + oidc_nonce + "&code_challenge=" + challenge + "&code_challenge_method=S256");
    res.AddCookie(
        pending_.Issue({{"state", state}, {"nonce", oidc_nonce}, {"verifier", verifier}}));
    return res;
  }

  void Callback(const http::Request& req, http::Done done,
                const std::shared_ptr<const SampleApp>& self) const {
    const std::string nonce = NewNonce();
    auto pending = pending_.Read(req);
    const std::string state = req.query.Get("state").value_or("");
    if (!pending.ok() || state.empty() ||
        !crypto::ConstantTimeEquals(state, (*pending)["state"].get<std::string>())) {
      return done(Problem(400, nonce, "Login not recognised",
                          "This answer does not belong to a login started here. Start again."));
    }
    if (auto error = req.query.Get("error")) {
      // A rule's UnauthorizedError arrives as error=unauthorized.
      auto res = Problem(403, nonce, "Login refused",
                         *error + ": " + req.query.Get("error_description").value_or(""));
      res.AddCookie(pending_.Clear());
      return done(res);
    }
    const std::string code = req.query.Get("code").value_or("");
    worker_.Post([self, code, pending = *pending, done = std::move(done), nonce] {
      done(self->Exchange(code, pending, nonce));
    });
  }

  http::Response Logout(const http::Request&) const {
    auto res = http::Response::Redirect(
        options_.gatehouse_url + "/v2/logout?client_id=" + http::UrlEncode(options_.client_id) +
        "&returnTo=" + http::UrlEncode(options_.app_url + "/"));
    res.AddCookie(user_.Clear());
    return res;
  }

 private:
  std::string Key() const {
    return options_.session_key.empty() ? crypto::SecureRandom::Instance().Bytes(32)
                                        : options_.session_key;
  }

  http::Response Exchange(const std::string& code, const json& pending,
                          const std::string& nonce) const {
    http::OutboundRequest req;
    req.method = "POST";
    req.url = options_.gatehouse_url + "/oauth/token";
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.body = "grant_type=authorization_code&code=" + http::UrlEncode(code) +
               "&redirect_uri=" + http::UrlEncode(options_.app_url + "/callback") +
               "&client_id=" + http::UrlEncode(options_.client_id) +
               "&client_secret=" + http::UrlEncode(options_.client_secret) +
               "&code_verifier=" + http::UrlEncode(pending["verifier"].get<std::string>());
    auto res = http_->Fetch(req);
    const json body = res.ok() ? json::parse(res->body, nullptr, false) : json();
    if (!res.ok() || res->status != 200 || !body.is_object() || !body["id_token"].is_string()) {
      return Problem(502, nonce, "Login failed", "The code could not be exchanged for tokens.");
    }
    // header.payload.signature: the claims are the middle part.
    const std::string id_token = body["id_token"].get<std::string>();
    const size_t a = id_token.find('.'), b = id_token.find('.', a + 1);
    auto payload = a == std::string::npos || b == std::string::npos
                       ? std::nullopt
                       : Base64UrlDecode(std::string_view(id_token).substr(a + 1, b - a - 1));
    json claims = payload ? json::parse(*payload, nullptr, false) : json();
    // Only string claims count: value() would throw on another type.
    const auto claim = [&claims](const char* name) {
      auto it = claims.find(name);
      return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (!claims.is_object() || claim("iss") != options_.gatehouse_url + "/" ||
        claim("aud") != options_.client_id ||
        claim("nonce") != pending["nonce"].get<std::string>()) {
      return Problem(502, nonce, "Login failed", "The ID token is not for this application.");
    }
    auto ok = http::Response::Redirect("/", 303);
    ok.AddCookie(pending_.Clear());
    ok.AddCookie(user_.Issue({{"claims", claims}}));
    return ok;
  }

  http::Response Problem(int status, const std::string& nonce, const std::string& title,
                         const std::string& text) const {
    const std::string body = "<div class=\"brand\">Gatehouse demo</div><h1>" + Escape(title) +
                             "</h1><p>" + Escape(text) +
                             "</p><a class=\"button\" href=\"/login\">Log in again</a>";
    return PageResponse(status, Page(title, body, nonce), nonce);
  }

  SampleAppOptions options_;
  std::shared_ptr<http::OutboundClient> http_;
  SignedSession pending_;
  SignedSession user_;
  mutable WorkQueue worker_;
};

}  // namespace

Status RegisterSampleApp(http::Router& router, SampleAppOptions options,
                         std::shared_ptr<http::OutboundClient> http) {
  if (options.gatehouse_url.empty() || options.app_url.empty() || options.client_id.empty() ||
      !http) {
    return InvalidArgument("the Gatehouse URL, the app URL and a client id are required");
  }
  auto app = std::make_shared<const SampleApp>(std::move(options), std::move(http));
  router.Add("GET", "/", [app](http::Request& r) { return app->Home(r); });
  router.Add("GET", "/login", [app](http::Request& r) { return app->Login(r); });
  router.AddAsync("GET", "/callback", [app](http::Request& r, http::Done done) {
    app->Callback(r, std::move(done), app);
  });
  router.Add("GET", "/logout", [app](http::Request& r) { return app->Logout(r); });
  return Status::Ok();
}

}  // namespace gatehouse::examples
