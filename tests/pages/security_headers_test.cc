#include "pages/security_headers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pages/renderer.h"

namespace gatehouse::pages {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(SecurityHeadersTest, StrictPolicyOnPlainHttp) {
  http::Response res = http::Response::Html(200, "x");
  res.SetHeader("Cache-Control", "public, max-age=60");
  ApplySecurityHeaders(res, /*tls=*/false);
  std::string csp = res.GetHeader("Content-Security-Policy");
  EXPECT_EQ(csp, "default-src 'none'; style-src " + Renderer::StyleSourceHash() +
                     "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  EXPECT_THAT(csp, Not(HasSubstr("script-src")));
  EXPECT_EQ(res.GetHeader("X-Frame-Options"), "DENY");
  EXPECT_EQ(res.GetHeader("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(res.GetHeader("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store") << "replaces the earlier value";
  EXPECT_EQ(res.GetHeader("Strict-Transport-Security"), "");
}

TEST(SecurityHeadersTest, HstsOnlyUnderTls) {
  http::Response res;
  ApplySecurityHeaders(res, /*tls=*/true);
  EXPECT_EQ(res.GetHeader("Strict-Transport-Security"), "max-age=31536000");
}

TEST(SecurityHeadersTest, ExtraFormActionSourceIsAdded) {
  EXPECT_THAT(ContentSecurityPolicy("https://app.example.com"),
              HasSubstr("form-action 'self' https://app.example.com;"));
  EXPECT_THAT(ContentSecurityPolicy("com.example.app:"),
              HasSubstr("form-action 'self' com.example.app:;"));
}

TEST(SecurityHeadersTest, ExtraSourceThatCouldInjectADirectiveIsIgnored) {
  for (const char* bad : {"https://a.com; script-src *", "https://a.com 'unsafe-inline'",
                          "https://a.com,x", "a\"b", "a\nb", ""}) {
    EXPECT_THAT(ContentSecurityPolicy(bad), HasSubstr("form-action 'self';")) << bad;
  }
}

}  // namespace
}  // namespace gatehouse::pages
