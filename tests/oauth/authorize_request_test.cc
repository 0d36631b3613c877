#include "oauth/authorize_request.h"

#include <gtest/gtest.h>

#include "oauth/test_env.h"

namespace gatehouse::oauth {
namespace {

using testing::OAuthEnv;

const std::string kChallenge(43, 'a');

class AuthorizeRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    web_ = env_.WebClient({"https://app.example.com/cb", "https://app.example.com/other"});
    spa_ = env_.SpaClient({"https://spa.example.com/cb"});
  }

  http::Params WebParams(std::initializer_list<std::pair<std::string, std::string>> extra = {}) {
    http::Params p;
    p.Add("client_id", web_.client.client_id);
    p.Add("redirect_uri", "https://app.example.com/cb");
    p.Add("response_type", "code");
    p.Add("state", "st");
    for (const auto& [k, v] : extra) p.Add(k, v);
    return p;
  }
  AuthorizeValidation Validate(const http::Params& p) {
    return ValidateAuthorizeRequest(p, *env_.clients);
  }
  // The error of a validation that must be redirected to the client.
  RedirectAuthorizeError Redirected(const http::Params& p) {
    auto v = Validate(p);
    EXPECT_TRUE(std::holds_alternative<RedirectAuthorizeError>(v));
    return std::holds_alternative<RedirectAuthorizeError>(v) ? std::get<RedirectAuthorizeError>(v)
                                                             : RedirectAuthorizeError{};
  }

  OAuthEnv env_;
  CreatedClient web_, spa_;
};

TEST_F(AuthorizeRequestTest, ValidRequest) {
  auto v = Validate(WebParams({{"scope", "openid profile openid email"},
                               {"nonce", "n"},
                               {"prompt", "login consent"},
                               {"max_age", "0"},
                               {"audience", "https://api.example.com/"},
                               {"response_mode", "form_post"}}));
  ASSERT_TRUE(std::holds_alternative<AuthorizeRequest>(v));
  const auto& r = std::get<AuthorizeRequest>(v);
  EXPECT_EQ(r.client.client_id, web_.client.client_id);
  EXPECT_EQ(r.redirect_uri, "https://app.example.com/cb");
  EXPECT_EQ(r.ScopeString(), "openid profile email");
  EXPECT_TRUE(r.HasScope("email"));
  EXPECT_EQ(r.prompt, "login");
  EXPECT_EQ(r.max_age, 0);
  EXPECT_EQ(r.response_mode, "form_post");
  EXPECT_EQ(r.state, "st");
  EXPECT_EQ(r.nonce, "n");
  EXPECT_EQ(r.audience, "https://api.example.com/");
}

TEST_F(AuthorizeRequestTest, UnknownClientAndBadRedirectAreFatal) {
  http::Params p;
  p.Add("client_id", "nope");
  p.Add("redirect_uri", "https://app.example.com/cb");
  p.Add("response_type", "code");
  EXPECT_TRUE(std::holds_alternative<FatalAuthorizeError>(Validate(p)));

  http::Params missing;
  missing.Add("response_type", "code");
  EXPECT_TRUE(std::holds_alternative<FatalAuthorizeError>(Validate(missing)));

  for (const char* uri : {"https://app.example.com/cb/", "https://APP.example.com/cb",
                          "https://app.example.com/cb?x=1", "https://app.example.com/cb/../x",
                          "https://app.example.com@evil.example/cb", "https://app.example.com/cb#f",
                          "https://app.example.com:444/cb", "https://evil.example/cb"}) {
    http::Params q;
    q.Add("client_id", web_.client.client_id);
    q.Add("redirect_uri", uri);
    q.Add("response_type", "code");
    auto v = Validate(q);
    ASSERT_TRUE(std::holds_alternative<FatalAuthorizeError>(v)) << uri;
    EXPECT_EQ(std::get<FatalAuthorizeError>(v).error.error, "invalid_request");
  }
}

TEST_F(AuthorizeRequestTest, MissingRedirectUriUsesTheOnlyRegisteredOne) {
  http::Params p;
  p.Add("client_id", spa_.client.client_id);
  p.Add("response_type", "code");
  p.Add("code_challenge", kChallenge);
  p.Add("code_challenge_method", "S256");
  auto v = Validate(p);
  ASSERT_TRUE(std::holds_alternative<AuthorizeRequest>(v));
  EXPECT_EQ(std::get<AuthorizeRequest>(v).redirect_uri, "https://spa.example.com/cb");

  http::Params w;  // two registered: must say which
  w.Add("client_id", web_.client.client_id);
  w.Add("response_type", "code");
  EXPECT_TRUE(std::holds_alternative<FatalAuthorizeError>(Validate(w)));
}

TEST_F(AuthorizeRequestTest, DuplicateClientOrRedirectIsFatal) {
  auto p = WebParams();
  p.Add("redirect_uri", "https://app.example.com/other");
  EXPECT_TRUE(std::holds_alternative<FatalAuthorizeError>(Validate(p)));
}

TEST_F(AuthorizeRequestTest, ErrorsRedirectedWithStateAndMode) {
  auto e = Redirected(WebParams({{"response_mode", "bogus"}}));
  EXPECT_EQ(e.error.error, "invalid_request");
  EXPECT_EQ(e.response_mode, "query");
  EXPECT_EQ(e.state, "st");
  EXPECT_EQ(e.redirect_uri, "https://app.example.com/cb");

  http::Params token_type;
  token_type.Add("client_id", web_.client.client_id);
  token_type.Add("redirect_uri", "https://app.example.com/cb");
  token_type.Add("response_type", "token");
  token_type.Add("response_mode", "fragment");
  e = Redirected(token_type);
  EXPECT_EQ(e.error.error, "unsupported_response_type");
  EXPECT_EQ(e.response_mode, "fragment");

  EXPECT_EQ(Redirected(WebParams({{"scope", "a"}, {"scope", "b"}})).error.error, "invalid_request");
  EXPECT_EQ(Redirected(WebParams({{"prompt", "none login"}})).error.error, "invalid_request");
  EXPECT_EQ(Redirected(WebParams({{"prompt", "sometimes"}})).error.error, "invalid_request");
  EXPECT_EQ(Redirected(WebParams({{"max_age", "-1"}})).error.error, "invalid_request");
  EXPECT_EQ(Redirected(WebParams({{"max_age", "12x"}})).error.error, "invalid_request");
  EXPECT_EQ(Redirected(WebParams({{"request", "eyJ"}})).error.error, "request_not_supported");
  // No user token for the Management API, however the audience is spelled.
  EXPECT_EQ(Redirected(WebParams({{"audience", "http://127.0.0.1:8080/api/v2/"}})).error.error,
            "access_denied");
  EXPECT_EQ(Redirected(WebParams({{"audience", "https://id.example.com/api/v2/"}})).error.error,
            "access_denied");
}

TEST_F(AuthorizeRequestTest, PkceRules) {
  auto spa = [&](std::initializer_list<std::pair<std::string, std::string>> extra) {
    http::Params p;
    p.Add("client_id", spa_.client.client_id);
    p.Add("redirect_uri", "https://spa.example.com/cb");
    p.Add("response_type", "code");
    for (const auto& [k, v] : extra) p.Add(k, v);
    return p;
  };
  // Missing for a public client.
  EXPECT_EQ(Redirected(spa({})).error.error, "invalid_request");
  // plain, absent method (= plain), unknown method.
  EXPECT_EQ(Redirected(spa({{"code_challenge", kChallenge}, {"code_challenge_method", "plain"}}))
                .error.error,
            "invalid_request");
  EXPECT_EQ(Redirected(spa({{"code_challenge", kChallenge}})).error.error, "invalid_request");
  EXPECT_EQ(Redirected(spa({{"code_challenge", kChallenge}, {"code_challenge_method", "S512"}}))
                .error.error,
            "invalid_request");
  // Bad length or alphabet.
  EXPECT_EQ(
      Redirected(spa({{"code_challenge", std::string(42, 'a')}, {"code_challenge_method", "S256"}}))
          .error.error,
      "invalid_request");
  EXPECT_EQ(Redirected(spa({{"code_challenge", std::string(42, 'a') + "+"},
                            {"code_challenge_method", "S256"}}))
                .error.error,
            "invalid_request");
  auto ok = Validate(spa({{"code_challenge", kChallenge}, {"code_challenge_method", "S256"}}));
  ASSERT_TRUE(std::holds_alternative<AuthorizeRequest>(ok));
  EXPECT_EQ(std::get<AuthorizeRequest>(ok).code_challenge_method, "S256");
  // Confidential clients may skip PKCE but not send half of it.
  EXPECT_TRUE(std::holds_alternative<AuthorizeRequest>(Validate(WebParams())));
  EXPECT_EQ(Redirected(WebParams({{"code_challenge_method", "S256"}})).error.error,
            "invalid_request");
}

TEST_F(AuthorizeRequestTest, ClientWithoutCodeGrantIsUnauthorized) {
  Client m2m;
  m2m.name = "m2m";
  m2m.app_type = "non_interactive";
  m2m.grant_types = {"client_credentials"};
  m2m.callbacks = {"https://m2m.example.com/cb"};
  auto c = env_.MakeClient(m2m);
  http::Params p;
  p.Add("client_id", c.client.client_id);
  p.Add("redirect_uri", "https://m2m.example.com/cb");
  p.Add("response_type", "code");
  EXPECT_EQ(Redirected(p).error.error, "unauthorized_client");
}

}  // namespace
}  // namespace gatehouse::oauth
