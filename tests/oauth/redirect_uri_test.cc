#include "oauth/redirect_uri.h"

#include <gtest/gtest.h>

#include "oauth/authorize_request.h"

namespace gatehouse::oauth {
namespace {

Client WithCallbacks(std::string app_type, std::vector<std::string> callbacks) {
  Client c;
  c.app_type = std::move(app_type);
  c.callbacks = std::move(callbacks);
  return c;
}

TEST(RedirectUriAllowedTest, ExactMatchOnly) {
  Client c = WithCallbacks("regular_web", {"https://app.example.com/callback"});
  EXPECT_TRUE(RedirectUriAllowed(c, "https://app.example.com/callback"));
  // Near misses: none of these may ever be redirected to.
  for (const char* uri : {
           "https://app.example.com/callback/",              // trailing slash
           "https://APP.example.com/callback",               // host case
           "https://app.example.com/Callback",               // path case
           "HTTPS://app.example.com/callback",               // scheme case
           "https://app.example.com/callback?x=1",           // extra query
           "https://app.example.com/callback/../evil",       // path traversal
           "https://app.example.com/callback/%2e%2e/evil",   // encoded traversal
           "https://app.example.com@evil.example/callback",  // userinfo trick
           "https://evil.example@app.example.com/callback",  // userinfo
           "https://app.example.com/callback#frag",          // fragment
           "https://app.example.com:8443/callback",          // other port
           "http://app.example.com/callback",                // other scheme
           "https://app.example.com.evil.example/callback",  // suffix
           "",
       }) {
    EXPECT_FALSE(RedirectUriAllowed(c, uri)) << uri;
  }
}

TEST(RedirectUriAllowedTest, LoopbackPortRuleOnlyForNativeClients) {
  Client native = WithCallbacks("native", {"http://127.0.0.1/cb", "http://[::1]:5000/cb"});
  EXPECT_TRUE(RedirectUriAllowed(native, "http://127.0.0.1:51234/cb"));
  EXPECT_TRUE(RedirectUriAllowed(native, "http://127.0.0.1/cb"));
  EXPECT_TRUE(RedirectUriAllowed(native, "http://[::1]:6000/cb"));
  EXPECT_FALSE(RedirectUriAllowed(native, "http://127.0.0.1:51234/cb/"));
  EXPECT_FALSE(RedirectUriAllowed(native, "http://127.0.0.1:51234/other"));
  EXPECT_FALSE(RedirectUriAllowed(native, "http://localhost:51234/cb"));  // other host
  EXPECT_FALSE(RedirectUriAllowed(native, "https://127.0.0.1:51234/cb"));
  EXPECT_FALSE(RedirectUriAllowed(native, "http://x@127.0.0.1:51234/cb"));
  EXPECT_FALSE(RedirectUriAllowed(native, "http://127.0.0.1:abc/cb"));

  Client web = WithCallbacks("regular_web", {"http://127.0.0.1:3000/cb"});
  EXPECT_TRUE(RedirectUriAllowed(web, "http://127.0.0.1:3000/cb"));
  EXPECT_FALSE(RedirectUriAllowed(web, "http://127.0.0.1:3001/cb"));
}

TEST(IsValidCallbackUrlTest, AcceptsAbsoluteUrisWithoutFragments) {
  std::string why;
  EXPECT_TRUE(IsValidCallbackUrl("https://app.example.com/cb?x=1", &why));
  EXPECT_TRUE(IsValidCallbackUrl("http://127.0.0.1:3000/cb", &why));
  EXPECT_TRUE(IsValidCallbackUrl("com.example.app:/oauth2redirect", &why));
  EXPECT_FALSE(IsValidCallbackUrl("/relative", &why));
  EXPECT_FALSE(IsValidCallbackUrl("https://app.example.com/cb#x", &why));
  EXPECT_EQ(why, "callback URL must not have a fragment");
  EXPECT_FALSE(IsValidCallbackUrl("https:///nohost", &why));
  EXPECT_FALSE(IsValidCallbackUrl("https://user@app.example.com/", &why));
  EXPECT_FALSE(IsValidCallbackUrl("https://app.example.com/a b", &why));
  EXPECT_FALSE(IsValidCallbackUrl("", &why));
}

}  // namespace
}  // namespace gatehouse::oauth
