#include "update-profile-website/profile_site.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "common/html.h"
#include "common/signed_session.h"
#include "core/base64url.h"
#include "crypto/digest.h"
#include "crypto/secure_random.h"
#include "http/params.h"
#include "jose/jwt.h"
#include "update-profile-website/profile_fields.h"

namespace gatehouse::examples {
namespace {

using nlohmann::json;

std::string RandomToken() { return Base64UrlEncode(crypto::SecureRandom::Instance().Bytes(32)); }

class ProfileSite {
 public:
  explicit ProfileSite(ProfileSiteOptions o)
      : options_(std::move(o)),
        session_("profile_session",
                 options_.session_key.empty() ? crypto::SecureRandom::Instance().Bytes(32)
                                              : options_.session_key,
                 options_.session_ttl, *options_.clock, options_.secure_cookies) {}

  // GET /?token=...&state=...
  http::Response Start(const http::Request& req) const {
    const std::string nonce = NewNonce();
    auto token = req.query.Get("token");
    auto state = req.query.Get("state");
    if (!token || !state || state->empty()) {
      return Problem(400, nonce, "Nothing to update here",
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
    if (!verified.ok()) {
      return Problem(400, nonce, "This link is not valid",
                     verified.status().code() == ErrorCode::kExpired
                         ? "The link has expired. Go back to the application and log in again."
                         : "The link is not valid. Go back to the application and log in again.");
    }
    const json& claims = verified->claims;
    const auto sub = claims.find("sub");
    const auto wanted = claims.find(options_.token_issuer + "/claims/required_fields");
    json fields = json::array();
    if (wanted != claims.end() && wanted->is_array()) {
      for (const auto& f : *wanted) {
        if (f.is_string() && FindProfileField(f.get<std::string>())) fields.push_back(f);
      }
    }
    if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty() ||
        fields.empty()) {
      return Problem(400, nonce, "This link is not valid",
                     "The link does not say what to update. Go back to the application and log "
                     "in again.");
    }
    auto res = http::Response::Redirect("/profile", 303);
    res.SetHeader("Cache-Control", "no-store");
    res.SetHeader("Referrer-Policy", "no-referrer");
    res.AddCookie(session_.Issue(
        {{"sub", *sub}, {"fields", fields}, {"state", *state}, {"csrf", RandomToken()}}));
    return res;
  }

  // GET /profile
  http::Response Show(const http::Request& req) const {
    const std::string nonce = NewNonce();
    auto session = session_.Read(req);
    if (!session.ok()) return NoSession(nonce, session.status());
    return FormPage(200, nonce, *session, http::Params{}, {});
  }

  // POST /profile
  http::Response Submit(const http::Request& req) const {
    const std::string nonce = NewNonce();
    auto session = session_.Read(req);
    if (!session.ok()) return NoSession(nonce, session.status());
    auto form = req.Form();
    const std::string sent = form.ok() ? form->Get("csrf").value_or("") : "";
    if (sent.empty() || !crypto::ConstantTimeEquals(sent, (*session)["csrf"].get<std::string>())) {
      return Problem(403, nonce, "Please try again",
                     "This form was not sent by this page, or it has expired. Reload the page "
                     "and submit it again.");
    }
    const auto fields = (*session)["fields"].get<std::vector<std::string>>();
    auto errors = ValidateProfile(fields, *form);
    if (!errors.empty()) return FormPage(422, nonce, *session, *form, errors);

    // Valid: hand the fields to Gatehouse and forget this session, so the
    // form cannot be sent a second time from here.
    const std::string action = options_.gatehouse_url + "/continue?state=" +
                               http::UrlEncode((*session)["state"].get<std::string>());
    std::string body =
        "<div class=\"brand\">Example Corp</div><h1>Thank you</h1>"
        "<p>Your profile is saved. Taking you back to your login&hellip;</p>"
        "<form method=\"post\" action=\"" +
        Escape(action) + "\">";
    for (const auto& name : fields) {
      body += "<input type=\"hidden\" name=\"" + Escape(name) + "\" value=\"" +
              Escape(Trim(form->Get(name).value_or(""))) + "\">";
    }
    body += "<noscript><button type=\"submit\">Continue</button></noscript></form>";
    body += "<script nonce=\"" + nonce + "\">document.forms[0].submit();</script>";
    auto res = PageResponse(200, Page("Profile saved", body, nonce), nonce, /*form_action=*/"");
    res.AddCookie(session_.Clear());
    return res;
  }

  // GET /terms?state=...&version=...
  http::Response Terms(const http::Request& req) const {
    const std::string nonce = NewNonce();
    auto state = req.query.Get("state");
    if (!state || state->empty()) {
      return Problem(400, nonce, "Nothing to accept here",
                     "This page is opened by the login of an application. Go back to the "
                     "application and log in.");
    }
    const std::string version = req.query.Get("version").value_or("");
    const std::string action =
        Escape(options_.gatehouse_url + "/continue?state=" + http::UrlEncode(*state));
    std::string body =
        "<div class=\"brand\">Example Corp</div><h1>Terms of service</h1>"
        "<p>Before you continue, please read and accept our terms of service" +
        (version.empty() ? std::string()
                         : " <span class=\"nowrap\">(version " + Escape(version) + ")</span>") +
        ".</p><p class=\"hint\">We keep your profile to run the service, never sell it, and "
        "delete it when you ask us to.</p>"
        "<form method=\"post\" action=\"" +
        action +
        "\"><button type=\"submit\" name=\"terms_decision\" value=\"accept\">I accept</button>"
        "<button type=\"submit\" class=\"secondary\" name=\"terms_decision\" "
        "value=\"decline\">I decline</button></form>";
    return PageResponse(200, Page("Terms of service", body, nonce), nonce, /*form_action=*/"");
  }

 private:
  http::Response FormPage(int status, const std::string& nonce, const json& session,
                          const http::Params& values,
                          const std::map<std::string, std::string>& errors) const {
    std::string body =
        "<div class=\"brand\">Example Corp</div><h1>Complete your profile</h1>"
        "<p>We need a little more about you before you continue.</p>";
    if (!errors.empty()) {
      body += "<div class=\"alert\" role=\"alert\">Please correct the fields below.</div>";
    }
    body += "<form method=\"post\" action=\"/profile\" novalidate>";
    body += "<input type=\"hidden\" name=\"csrf\" value=\"" +
            Escape(session["csrf"].get<std::string>()) + "\">";
    for (const auto& f : session["fields"]) {
      const ProfileField* field = FindProfileField(f.get<std::string>());
      if (field == nullptr) continue;
      const std::string name(field->name);
      body += "<label for=\"" + name + "\">" + Escape(field->label) + "</label>";
      body += "<input id=\"" + name + "\" name=\"" + name + "\" type=\"" +
              std::string(field->input_type) + "\" value=\"" +
              Escape(values.Get(name).value_or("")) + "\"";
      if (name == "birthdate") body += " placeholder=\"1990-04-21\" inputmode=\"numeric\"";
      if (auto e = errors.find(name); e != errors.end()) {
        body += " aria-invalid=\"true\"><p class=\"error\">" + Escape(e->second) + "</p>";
      } else {
        body += ">";
      }
    }
    body += "<button type=\"submit\">Save and continue</button></form>";
    return PageResponse(status, Page("Complete your profile", body, nonce), nonce);
  }

  http::Response NoSession(const std::string& nonce, const Status& why) const {
    auto res = Problem(
        400, nonce, "No profile update in progress",
        why.code() == ErrorCode::kNotFound
            ? "There is nothing to submit: either your profile was already saved and your "
              "login continued, or this page was opened directly. Go back to the application."
            : "Your session has expired or is not valid. Go back to the application and log in "
              "again.");
    res.AddCookie(session_.Clear());
    return res;
  }

  http::Response Problem(int status, const std::string& nonce, const std::string& title,
                         const std::string& text) const {
    const std::string body = "<div class=\"brand\">Example Corp</div><h1>" + Escape(title) +
                             "</h1><p>" + Escape(text) + "</p>";
    return PageResponse(status, Page(title, body, nonce), nonce);
  }

  ProfileSiteOptions options_;
  SignedSession session_;
};

}  // namespace

Status RegisterProfileSite(http::Router& router, ProfileSiteOptions options) {
  if (options.token_issuer.empty() || options.token_audience.empty() ||
      options.gatehouse_url.empty()) {
    return InvalidArgument("token issuer, token audience and the Gatehouse URL are required");
  }
  if (options.token_secret.size() < 32) {
    return InvalidArgument("the token secret must be at least 32 bytes (HS256)");
  }
  while (!options.gatehouse_url.empty() && options.gatehouse_url.back() == '/') {
    options.gatehouse_url.pop_back();
  }
  auto site = std::make_shared<const ProfileSite>(std::move(options));
  router.Add("GET", "/", [site](http::Request& r) { return site->Start(r); });
  router.Add("GET", "/profile", [site](http::Request& r) { return site->Show(r); });
  router.Add("POST", "/profile", [site](http::Request& r) { return site->Submit(r); },
             {.max_body_bytes = 16 * 1024});
  router.Add("GET", "/terms", [site](http::Request& r) { return site->Terms(r); });
  return Status::Ok();
}

}  // namespace gatehouse::examples
