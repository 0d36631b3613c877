#include "pages/renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/base64url.h"
#include "crypto/digest.h"

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

}  // namespace
}  // namespace gatehouse::pages
