#include "oauth/authorization_response.h"

#include <gtest/gtest.h>

namespace gatehouse::oauth {
namespace {

TEST(RespondToClientTest, QueryAppendsAndSkipsEmptyValues) {
  auto res = RespondToClient("https://app.example.com/cb", "query",
                             {{"code", "a b&c"}, {"state", ""}, {"iss", "https://id.example/"}});
  EXPECT_EQ(res.status, 302);
  EXPECT_EQ(res.GetHeader("Location"),
            "https://app.example.com/cb?code=a%20b%26c&iss=https%3A%2F%2Fid.example%2F");
  EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store");

  auto with_query = RespondToClient("https://app.example.com/cb?x=1", "query", {{"code", "c"}});
  EXPECT_EQ(with_query.GetHeader("Location"), "https://app.example.com/cb?x=1&code=c");
}

TEST(RespondToClientTest, Fragment) {
  auto res = RespondToClient("https://app.example.com/cb", "fragment",
                             {{"error", "access_denied"}, {"state", "s"}});
  EXPECT_EQ(res.GetHeader("Location"), "https://app.example.com/cb#error=access_denied&state=s");
}

TEST(RespondToClientTest, FormPostEscapesAndLocksDownScripts) {
  auto res = RespondToClient("https://app.example.com/cb?a=1&b=\"2\"", "form_post",
                             {{"code", "<script>alert(1)</script>"}, {"state", "s\"x"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(res.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(res.body.find("value=\"s&quot;x\""), std::string::npos);
  EXPECT_NE(res.body.find("action=\"https://app.example.com/cb?a=1&amp;b=&quot;2&quot;\""),
            std::string::npos);
  EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store");
  std::string csp = res.GetHeader("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'sha256-"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::oauth
