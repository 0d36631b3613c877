#pragma once
// HTML of the hosted pages (login, sign-up, error, logged out), rendered from
// the mustache templates in templates/ that are compiled into the library.
// Every view field is user-controlled or may be: all of them are HTML-escaped
// (the templates use no triple mustaches). The pages carry no scripts and one
// inline stylesheet, allowed by StyleSourceHash() in the CSP.

#include <string>
#include <vector>

namespace gatehouse::pages {

struct LoginView {
  // Every member has an initializer so designated initializers build warning-free.
  std::string client_name{};     // shown as "to continue to <name>"
  std::string transaction_id{};  // hidden field "tx"
  std::string csrf_token{};      // hidden field "csrf"
  std::string identifier{};      // prefilled email/username ("" = empty field)
  std::string error{};           // message above the form; "" = none
  std::string signup_url{};      // link to the sign-up page; "" hides the link
  // "Continue with <display_name>" links to upstream connections, in order.
  struct ConnectionLink {
    std::string display_name{};
    std::string url{};
  };
  std::vector<ConnectionLink> connections{};
};

struct SignupView {
  std::string client_name{};
  std::string transaction_id{};
  std::string csrf_token{};
  std::string email{}, given_name{}, family_name{};  // prefilled after an error
  std::string error{};                               // "" = none
  std::string login_url{};                           // link back to the login page
  int min_password_length = 8;
};

struct ErrorView {
  std::string title = "Something went wrong";  // heading
  std::string error_code{};                    // e.g. "invalid_request"
  std::string description{};                   // safe to show to the user
  std::string request_id{};                    // "" hides it
};

// Stateless; all methods are thread-safe. The form fields the pages post:
// login: tx, csrf, username, password; signup: tx, csrf, email, password,
// given_name, family_name.
class Renderer {
 public:
  std::string RenderLogin(const LoginView& view) const;
  std::string RenderSignup(const SignupView& view) const;
  std::string RenderError(const ErrorView& view) const;
  std::string RenderLoggedOut() const;

  // The CSP source expression that allows the pages' inline stylesheet,
  // "'sha256-<base64>'".
  static const std::string& StyleSourceHash();
};

}  // namespace gatehouse::pages
