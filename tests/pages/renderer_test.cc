#include "pages/renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mstch/mstch.hpp>
#include <string>

#include "core/base64url.h"
#include "crypto/digest.h"
#include "pages/embedded_templates.h"

namespace gatehouse::pages {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kEvil = "<script>alert(\"x\")</script>&'";

// The text between the first <style> and </style>.
std::string InlineStyle(const std::string& html) {
  auto open = html.find("<style>");
  auto close = html.find("</style>");
  if (open == std::string::npos || close == std::string::npos) return "";
  open += 7;
  return html.substr(open, close - open);
}

TEST(RendererTest, LoginPageHasTheFormAndItsHiddenFields) {
  Renderer r;
  std::string html = r.RenderLogin({.client_name = "My App",
                                    .transaction_id = "tx123",
                                    .csrf_token = "csrf456",
                                    .identifier = "ann@example.com",
                                    .signup_url = "/u/signup?tx=tx123"});
  EXPECT_THAT(html, HasSubstr("<html lang=\"en\">"));
  EXPECT_THAT(html, HasSubstr("to continue to My App"));
  EXPECT_THAT(html, HasSubstr("<form method=\"post\" action=\"/u/login\""));
  EXPECT_THAT(html, HasSubstr("value=\"ann@example.com\""));
  EXPECT_THAT(html, HasSubstr("href=\"&#x2F;u&#x2F;signup?tx=tx123\""))
      << "values are escaped, browsers decode the entities";
}

TEST(RendererTest, LoginPageFieldsAreLabelledAndAutocompleted) {
  Renderer r;
  std::string html = r.RenderLogin({.client_name = "A", .transaction_id = "t", .csrf_token = "c"});
  EXPECT_THAT(html, HasSubstr("name=\"tx\" value=\"t\""));
  EXPECT_THAT(html, HasSubstr("name=\"csrf\" value=\"c\""));
  EXPECT_THAT(html, HasSubstr("<label for=\"username\">"));
  EXPECT_THAT(html, HasSubstr("id=\"username\" name=\"username\""));
  EXPECT_THAT(html, HasSubstr("autocomplete=\"username\""));
  EXPECT_THAT(html, HasSubstr("<label for=\"password\">"));
  EXPECT_THAT(html, HasSubstr("autocomplete=\"current-password\""));
  EXPECT_THAT(html, HasSubstr("name=\"viewport\""));
  EXPECT_THAT(html, Not(HasSubstr("<script"))) << "no scripts at all: strict CSP";
  EXPECT_THAT(html, Not(HasSubstr("role=\"alert\""))) << "no error slot without an error";
  EXPECT_THAT(html, Not(HasSubstr("Sign up"))) << "no sign-up link without a URL";
}

TEST(RendererTest, LoginErrorIsAnnouncedAndLinkedToTheField) {
  Renderer r;
  std::string html = r.RenderLogin({.error = "Wrong email or password."});
  EXPECT_THAT(html, HasSubstr("role=\"alert\" id=\"form-error\">Wrong email or password.</p>"));
  EXPECT_THAT(html, HasSubstr("aria-describedby=\"form-error\""));
}

TEST(RendererTest, EveryLoginFieldIsEscaped) {
  Renderer r;
  std::string html = r.RenderLogin({.client_name = kEvil,
                                    .transaction_id = kEvil,
                                    .csrf_token = kEvil,
                                    .identifier = kEvil,
                                    .error = kEvil,
                                    .signup_url = kEvil});
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("\"x\"")));
  EXPECT_THAT(html, Not(HasSubstr("&'")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
}

TEST(RendererTest, EverySignupFieldIsEscaped) {
  Renderer r;
  std::string html = r.RenderSignup({.client_name = kEvil,
                                     .transaction_id = kEvil,
                                     .csrf_token = kEvil,
                                     .email = kEvil,
                                     .given_name = kEvil,
                                     .family_name = kEvil,
                                     .error = kEvil,
                                     .login_url = kEvil});
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("\"x\"")));
}

TEST(RendererTest, SignupPageHasLabelledFields) {
  Renderer r;
  std::string html = r.RenderSignup({.client_name = "Shop",
                                     .transaction_id = "t",
                                     .csrf_token = "c",
                                     .email = "a@b.c",
                                     .login_url = "/u/login?tx=t",
                                     .min_password_length = 10});
  for (const char* id : {"email", "password", "given_name", "family_name"}) {
    EXPECT_THAT(html, HasSubstr(std::string("<label for=\"") + id + "\">")) << id;
    EXPECT_THAT(html, HasSubstr(std::string("id=\"") + id + "\" name=\"" + id + "\"")) << id;
  }
  EXPECT_THAT(html, HasSubstr("autocomplete=\"new-password\""));
  EXPECT_THAT(html, HasSubstr("autocomplete=\"email\""));
  EXPECT_THAT(html, HasSubstr("autocomplete=\"given-name\""));
  EXPECT_THAT(html, HasSubstr("minlength=\"10\""));
  EXPECT_THAT(html, HasSubstr("value=\"a@b.c\""));
  EXPECT_THAT(html, HasSubstr("action=\"/u/signup\""));
}

TEST(RendererTest, ErrorPageShowsCodeDescriptionAndRequestId) {
  Renderer r;
  std::string html = r.RenderError({.title = "Invalid request",
                                    .error_code = "invalid_request",
                                    .description = "Unknown client <x>",
                                    .request_id = "req-1"});
  EXPECT_THAT(html, HasSubstr("<h1>Invalid request</h1>"));
  EXPECT_THAT(html, HasSubstr("<dd>invalid_request</dd>"));
  EXPECT_THAT(html, HasSubstr("Unknown client &lt;x&gt;"));
  EXPECT_THAT(html, HasSubstr("<dd>req-1</dd>"));
  EXPECT_THAT(r.RenderError({.error_code = "e"}), Not(HasSubstr("Request ID")));
}

TEST(RendererTest, LoggedOutPage) {
  Renderer r;
  std::string html = r.RenderLoggedOut();
  EXPECT_THAT(html, HasSubstr("You are logged out"));
  EXPECT_THAT(html, HasSubstr("<html lang=\"en\">"));
}

TEST(RendererTest, StyleHashMatchesTheInlineStylesheetOfEveryPage) {
  Renderer r;
  for (const std::string& html :
       {r.RenderLogin({}), r.RenderSignup({}), r.RenderError({}), r.RenderLoggedOut()}) {
    std::string style = InlineStyle(html);
    ASSERT_FALSE(style.empty());
    std::string expected =
        "'sha256-" + Base64Encode(crypto::Digest(crypto::Hash::kSha256, style)) + "'";
    EXPECT_EQ(Renderer::StyleSourceHash(), expected);
  }
}

// The pages are rendered from templates with their partials spliced in once;
// that must render byte for byte as mstch renders them with partials, with
// every section both on and off.
TEST(RendererTest, SplicedTemplatesRenderAsMstchPartialsDo) {
  mstch::array links{mstch::map{{"display_name", std::string("Acme <SSO>")},
                                {"url", std::string("/u/upstream?c=1&x=2")}}};
  for (bool on : {true, false}) {
    mstch::map ctx{{"title", std::string("T")},
                   {"heading", std::string("H")},
                   {"client_name", std::string(kEvil)},
                   {"transaction_id", std::string("tx")},
                   {"csrf_token", std::string("csrf")},
                   {"identifier", std::string(on ? "ada@example.com" : "")},
                   {"email", std::string(on ? "ada@example.com" : "")},
                   {"given_name", std::string(on ? "Ada" : "")},
                   {"family_name", std::string(on ? "Lovelace" : "")},
                   {"error", std::string(on ? "Wrong password" : "")},
                   {"signup_url", std::string(on ? "/u/signup?tx=1" : "")},
                   {"login_url", std::string(on ? "/u/login?tx=1" : "")},
                   {"has_connections", on},
                   {"connections", on ? links : mstch::array{}},
                   {"min_password_length", 8},
                   {"error_code", std::string(on ? "invalid_request" : "")},
                   {"description", std::string(on ? "Bad <thing>" : "")},
                   {"request_id", std::string(on ? "req-1" : "")}};
    for (const char* page : {"login", "signup", "error", "logged_out"}) {
      const auto& templates = internal::EmbeddedTemplates();
      const std::string want = mstch::render(templates.at(page), ctx, templates);
      EXPECT_EQ(mstch::render(internal::ExpandedTemplate(page), ctx), want)
          << page << (on ? " (sections on)" : " (sections off)");
      EXPECT_EQ(internal::RenderPage(page, ctx), want)
          << page << (on ? " (sections on)" : " (sections off)");
      EXPECT_EQ(internal::ExpandedTemplate(page).find("{{>"), std::string::npos) << page;
    }
  }
}

}  // namespace
}  // namespace gatehouse::pages
