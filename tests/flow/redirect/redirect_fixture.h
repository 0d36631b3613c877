#pragma once
// Shared by the redirect scenarios: a FlowHarness running the real
// SpiderMonkey engine over SQLite, and helpers for the login -> redirect ->
// /continue -> token round trip.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/base64url.h"
#include "flow/flow_harness.h"
#include "http/params.h"

namespace gatehouse::flow::testing {

// Redirects on the first pass; on the second pass puts what it saw into the ID token.
inline constexpr const char* kRedirectOnce = R"JS(
function redirectOnce(user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.org/pass2'] = {
      original_protocol: context.original_protocol,
      query: context.request.query,
      body: context.request.body,
      given_name: user.given_name || null,
    };
    return callback(null, user, context);
  }
  context.idToken['https://example.org/pass1'] = true;
  context.redirect = { url: 'https://profile.example.org/update?from=gh#frag' };
  callback(null, user, context);
})JS";

inline nlohmann::json JwtPayload(const std::string& jwt) {
  auto first = jwt.find('.');
  auto second = jwt.find('.', first + 1);
  auto payload = Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  if (!payload) return nullptr;
  return nlohmann::json::parse(*payload, nullptr, false);
}

class RedirectTest : public ::testing::Test {
 protected:
  explicit RedirectTest(FlowOptions flow = {}) : h_(HarnessOptions{.rules = true, .flow = flow}) {}

  void SetUp() override {
    ASSERT_NE(h_.storage, nullptr);
    ASSERT_NE(h_.engine, nullptr);
  }

  // Password login in `browser`; returns the answer to the login POST.
  http::Response Login(Browser& browser, const std::string& extra = "") {
    auto page = h_.OpenLoginPage(browser, extra);
    return h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword);
  }

  // Login that must redirect to the profile site; returns the /continue state.
  std::string LoginToRedirect(Browser& browser) {
    http::Response res = Login(browser);
    EXPECT_EQ(res.status, 302) << res.body;
    std::string location = res.GetHeader("Location");
    EXPECT_THAT(location,
                ::testing::StartsWith("https://profile.example.org/update?from=gh&state="));
    EXPECT_THAT(location, ::testing::EndsWith("#frag"));
    return UrlParam(location.substr(0, location.find('#')), "state");
  }

  // Exchanges a code at /oauth/token; returns the JSON answer.
  nlohmann::json Exchange(const std::string& code) {
    http::Response res = h_.PostForm("/oauth/token",
                                     "grant_type=authorization_code&code=" + http::UrlEncode(code) +
                                         "&redirect_uri=" + http::UrlEncode(kCallback) +
                                         "&client_id=" + http::UrlEncode(h_.client.client_id) +
                                         "&code_verifier=" + h_.verifier,
                                     nullptr);
    EXPECT_EQ(res.status, 200) << res.body;
    return nlohmann::json::parse(res.body, nullptr, false);
  }

  // The ID token payload for an answer that carries a code.
  nlohmann::json IdTokenOf(const http::Response& res) {
    std::string location = res.GetHeader("Location");
    std::string code = UrlParam(location, "code");
    EXPECT_FALSE(code.empty()) << location << " " << res.body;
    if (code.empty()) return nullptr;
    nlohmann::json tokens = Exchange(code);
    return JwtPayload(tokens.value("id_token", ""));
  }

  bool HasEvent(const std::string& type) {
    for (const auto& e : h_.Events()) {
      if (e.type == type) return true;
    }
    return false;
  }

  FlowHarness h_;
};

}  // namespace gatehouse::flow::testing
