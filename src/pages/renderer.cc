#include "pages/renderer.h"

#include <mstch/mstch.hpp>

#include "core/base64url.h"
#include "pages/embedded_templates.h"

namespace gatehouse::pages {
namespace {

const std::string& Template(const std::string& name) {
  return internal::EmbeddedTemplates().at(name);
}

// Partials are every template: pages pull in header, footer and style.
std::string Render(const std::string& name, const mstch::map& context) {
  return mstch::render(Template(name), context, internal::EmbeddedTemplates());
}

std::string HexToBytes(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  }
  return out;
}

}  // namespace

std::string Renderer::RenderLogin(const LoginView& view) const {
  mstch::array connections;
  for (const auto& link : view.connections) {
    connections.push_back(mstch::map{{"display_name", link.display_name}, {"url", link.url}});
  }
  return Render("login", mstch::map{{"title", std::string("Log in")},
                                    {"client_name", view.client_name},
                                    {"transaction_id", view.transaction_id},
                                    {"csrf_token", view.csrf_token},
                                    {"identifier", view.identifier},
                                    {"error", view.error},
                                    {"signup_url", view.signup_url},
                                    {"has_connections", !view.connections.empty()},
                                    {"connections", connections}});
}

std::string Renderer::RenderSignup(const SignupView& view) const {
  return Render("signup", mstch::map{{"title", std::string("Sign up")},
                                     {"client_name", view.client_name},
                                     {"transaction_id", view.transaction_id},
                                     {"csrf_token", view.csrf_token},
                                     {"email", view.email},
                                     {"given_name", view.given_name},
                                     {"family_name", view.family_name},
                                     {"error", view.error},
                                     {"login_url", view.login_url},
                                     {"min_password_length", view.min_password_length}});
}

std::string Renderer::RenderError(const ErrorView& view) const {
  return Render("error", mstch::map{{"title", view.title},
                                    {"heading", view.title},
                                    {"error_code", view.error_code},
                                    {"description", view.description},
                                    {"request_id", view.request_id}});
}

std::string Renderer::RenderLoggedOut() const {
  return Render("logged_out", mstch::map{{"title", std::string("Logged out")}});
}

const std::string& Renderer::StyleSourceHash() {
  static const std::string hash =
      "'sha256-" + Base64Encode(HexToBytes(internal::kStyleSha256Hex)) + "'";
  return hash;
}

}  // namespace gatehouse::pages
