#include "flow/redirect_url.h"

#include <gtest/gtest.h>

namespace gatehouse::flow {
namespace {

TEST(ValidateRedirectUrl, AcceptsHttpsAndLoopbackHttp) {
  EXPECT_TRUE(ValidateRedirectUrl("https://site.example/path?a=1#f", false).ok());
  EXPECT_TRUE(ValidateRedirectUrl("HTTPS://Site.Example", false).ok());
  EXPECT_TRUE(ValidateRedirectUrl("http://localhost:3000/x", false).ok());
  EXPECT_TRUE(ValidateRedirectUrl("http://127.0.0.1:8080/x", false).ok());
  EXPECT_TRUE(ValidateRedirectUrl("http://[::1]:8080/x", false).ok());
  EXPECT_TRUE(ValidateRedirectUrl("https://site.example/?mystate=1&statex=2", false).ok());
}

TEST(ValidateRedirectUrl, HttpToOtherHostsOnlyWhenAllowed) {
  EXPECT_FALSE(ValidateRedirectUrl("http://site.example/", false).ok());
  EXPECT_TRUE(ValidateRedirectUrl("http://site.example/", true).ok());
  EXPECT_FALSE(ValidateRedirectUrl("http://127.0.0.1.evil.example/", false).ok());
  EXPECT_FALSE(ValidateRedirectUrl("http://localhost.evil.example/", false).ok());
}

TEST(ValidateRedirectUrl, RefusesWhatSpecForbids) {
  for (const char* url :
       {"", "javascript:alert(1)", "/relative", "//host/x", "ftp://host/", "https://",
        "https:///path", "https://a@site.example/", "https://a:b@site.example/",
        "https://site.example/\r\nX: y", "https://site.example/\n", "https://site.example/\t",
        "https://site.example/a b", "https://site.example\\@evil.example/",
        "https://site.example/?state=x", "https://site.example/?a=1&state",
        "https://site.example/?%73tate=1", "https://site.example/?STATE=1", "https://[::1/"}) {
    EXPECT_FALSE(ValidateRedirectUrl(url, true).ok()) << url;
  }
}

TEST(AppendStateParam, UsesQuestionMarkOrAmpersandAndKeepsFragment) {
  EXPECT_EQ(AppendStateParam("https://s.example/p", "abc"), "https://s.example/p?state=abc");
  EXPECT_EQ(AppendStateParam("https://s.example/p?a=1", "abc"),
            "https://s.example/p?a=1&state=abc");
  EXPECT_EQ(AppendStateParam("https://s.example/p?", "abc"), "https://s.example/p?state=abc");
  EXPECT_EQ(AppendStateParam("https://s.example/p?a=1&", "abc"),
            "https://s.example/p?a=1&state=abc");
  EXPECT_EQ(AppendStateParam("https://s.example/p#frag", "abc"),
            "https://s.example/p?state=abc#frag");
  EXPECT_EQ(AppendStateParam("https://s.example/p?a=1#f?x", "abc"),
            "https://s.example/p?a=1&state=abc#f?x");
  EXPECT_EQ(AppendStateParam("https://s.example", "a-b_c"), "https://s.example?state=a-b_c");
}

}  // namespace
}  // namespace gatehouse::flow
