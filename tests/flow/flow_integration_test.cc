// The browser login end to end, in process: /authorize -> hosted login ->
// code at the redirect_uri -> token exchange, over real SQLite and the real
// accounts and OAuth services.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "core/base64url.h"
#include "flow/flow_harness.h"
#include "http/params.h"

namespace gatehouse::flow::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

nlohmann::json JwtPayload(const std::string& jwt) {
  auto first = jwt.find('.');
  auto second = jwt.find('.', first + 1);
  auto payload = Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  if (!payload) return nullptr;
  return nlohmann::json::parse(*payload, nullptr, false);
}

class FlowIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(h_.storage, nullptr);
    ASSERT_FALSE(h_.client.client_id.empty());
    ASSERT_FALSE(h_.user_id.empty());
  }

  // A full password login in `browser`; returns the answer to the login POST.
  http::Response PasswordLogin(Browser& browser, const std::string& extra = "") {
    auto page = h_.OpenLoginPage(browser, extra);
    return h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword);
  }

  // Exchanges a code at /oauth/token; returns the JSON answer.
  nlohmann::json Exchange(const std::string& code, int expected_status = 200) {
    http::Response res = h_.PostForm("/oauth/token",
                                     "grant_type=authorization_code&code=" + http::UrlEncode(code) +
                                         "&redirect_uri=" + http::UrlEncode(kCallback) +
                                         "&client_id=" + http::UrlEncode(h_.client.client_id) +
                                         "&code_verifier=" + h_.verifier,
                                     nullptr);
    EXPECT_EQ(res.status, expected_status) << res.body;
    return nlohmann::json::parse(res.body, nullptr, false);
  }

  FlowHarness h_;
};

TEST_F(FlowIntegrationTest, PasswordLoginSendsACodeWithStateAndIssuer) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  EXPECT_FALSE(page.tx.empty());
  EXPECT_FALSE(page.csrf.empty());
  EXPECT_THAT(page.response.body, HasSubstr("Test SPA"));
  ASSERT_TRUE(browser.Get("gh_tx").has_value());

  http::Response res = h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword);
  ASSERT_EQ(res.status, 302) << res.body;
  std::string location = res.GetHeader("Location");
  EXPECT_THAT(location, StartsWith(std::string(kCallback) + "?code="));
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
  EXPECT_EQ(UrlParam(location, "iss"), kIssuer);
  EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store");
  ASSERT_TRUE(browser.Get("gh_session").has_value());

  nlohmann::json tokens = Exchange(UrlParam(location, "code"));
  EXPECT_TRUE(tokens.contains("access_token")) << tokens.dump();
  ASSERT_TRUE(tokens.contains("id_token")) << tokens.dump();
  nlohmann::json claims = JwtPayload(tokens["id_token"].get<std::string>());
  EXPECT_EQ(claims["iss"], kIssuer);
  EXPECT_EQ(claims["sub"], h_.user_id);
  EXPECT_EQ(claims["aud"], h_.client.client_id);
  EXPECT_EQ(claims["nonce"], "n-456");
  EXPECT_EQ(claims["auth_time"], h_.clock.NowSeconds());
  EXPECT_EQ(claims["email"], "ann@example.com");

  auto user = h_.users->Get(h_.user_id);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->record.logins_count, 1);
  EXPECT_EQ(user->record.last_ip, "203.0.113.7");
}

TEST_F(FlowIntegrationTest, SsoLoginKeepsTheOriginalAuthTime) {
  Browser browser;
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  int64_t auth_time = h_.clock.NowSeconds();
  h_.clock.Advance(std::chrono::seconds(120));
  http::Response res = h_.Get(h_.AuthorizeTarget(), &browser);
  ASSERT_EQ(res.status, 302);
  nlohmann::json tokens = Exchange(UrlParam(res.GetHeader("Location"), "code"));
  ASSERT_TRUE(tokens.contains("id_token")) << tokens.dump();
  EXPECT_EQ(JwtPayload(tokens["id_token"].get<std::string>())["auth_time"], auth_time);
}

TEST_F(FlowIntegrationTest, LoginByUsernameOfTheUserWorksToo) {
  accounts::SignUpInput bob;
  bob.email = "bob@example.com";
  bob.username = "bobby";
  bob.password = kPassword;
  ASSERT_TRUE(h_.users->SignUp(bob).ok());
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  http::Response res = h_.SubmitLogin(browser, page.tx, page.csrf, "bobby", kPassword);
  EXPECT_EQ(res.status, 302) << res.body;
}

TEST_F(FlowIntegrationTest, FragmentResponseMode) {
  Browser browser;
  http::Response res = PasswordLogin(browser, "&response_mode=fragment");
  ASSERT_EQ(res.status, 302) << res.body;
  std::string location = res.GetHeader("Location");
  EXPECT_THAT(location, StartsWith(std::string(kCallback) + "#code="));
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
  EXPECT_EQ(UrlParam(location, "iss"), kIssuer);
}

TEST_F(FlowIntegrationTest, FormPostResponseMode) {
  Browser browser;
  http::Response res = PasswordLogin(browser, "&response_mode=form_post");
  ASSERT_EQ(res.status, 200);
  EXPECT_THAT(res.body, HasSubstr("action=\"https://app.example.com/callback\""));
  EXPECT_FALSE(HiddenInput(res.body, "code").empty());
  EXPECT_EQ(HiddenInput(res.body, "state"), "st-123");
  EXPECT_EQ(HiddenInput(res.body, "iss"), kIssuer);
  ASSERT_TRUE(browser.Get("gh_session").has_value());
  Exchange(HiddenInput(res.body, "code"));
}

TEST_F(FlowIntegrationTest, LoginPageAllowsTheRedirectAfterThePostAndNothingElse) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  const auto& res = page.response;
  EXPECT_THAT(res.GetHeader("Content-Security-Policy"),
              HasSubstr("form-action 'self' https://app.example.com;"));
  EXPECT_THAT(res.GetHeader("Content-Security-Policy"), HasSubstr("frame-ancestors 'none'"));
  EXPECT_EQ(res.GetHeader("X-Frame-Options"), "DENY");
  EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store");
  EXPECT_EQ(res.GetHeader("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(res.GetHeader("Strict-Transport-Security"), "") << "plain HTTP";
}

TEST_F(FlowIntegrationTest, CookiesAreHttpOnlyAndLaxOnPlainHttp) {
  Browser browser;
  http::Response authorize = h_.Get(h_.AuthorizeTarget(), &browser);
  std::string tx_cookie = authorize.GetHeader("Set-Cookie");
  EXPECT_THAT(tx_cookie, StartsWith("gh_tx="));
  EXPECT_THAT(tx_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(tx_cookie, HasSubstr("SameSite=Lax"));
  EXPECT_THAT(tx_cookie, Not(HasSubstr("Secure")));
}

TEST_F(FlowIntegrationTest, CookiesAreSecureUnderTls) {
  h_.tls = true;
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  EXPECT_EQ(page.response.GetHeader("Strict-Transport-Security"), "max-age=31536000");
  http::Response res = h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword);
  ASSERT_EQ(res.status, 302) << res.body;
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "iss"), "https://id.example.com/");
  std::string session_cookie;
  for (const auto& [name, value] : res.headers) {
    if (name == "Set-Cookie" && value.rfind("gh_session=", 0) == 0) session_cookie = value;
  }
  EXPECT_THAT(session_cookie, HasSubstr("Secure"));
  EXPECT_THAT(session_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(session_cookie, HasSubstr("SameSite=Lax"));

  Browser other;
  http::Response authorize = h_.Get(h_.AuthorizeTarget(), &other);
  EXPECT_THAT(authorize.GetHeader("Set-Cookie"), HasSubstr("SameSite=None"));
  EXPECT_THAT(authorize.GetHeader("Set-Cookie"), HasSubstr("Secure"));
}

TEST_F(FlowIntegrationTest, SecondAuthorizeUsesTheSsoSessionWithoutAPassword) {
  Browser browser;
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  h_.clock.Advance(std::chrono::seconds(30));
  http::Response res = h_.Get(h_.AuthorizeTarget(), &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  std::string location = res.GetHeader("Location");
  EXPECT_THAT(location, StartsWith(std::string(kCallback) + "?code="));
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
  nlohmann::json tokens = Exchange(UrlParam(location, "code"));
  EXPECT_TRUE(tokens.contains("id_token"));
}

TEST_F(FlowIntegrationTest, PromptLoginForcesTheLoginPage) {
  Browser browser;
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  http::Response res = h_.Get(h_.AuthorizeTarget("&prompt=login"), &browser);
  ASSERT_EQ(res.status, 302);
  EXPECT_THAT(res.GetHeader("Location"), StartsWith("/u/login?tx="));
}

TEST_F(FlowIntegrationTest, PromptNoneWithoutASessionIsLoginRequiredAtTheClient) {
  Browser browser;
  http::Response res = h_.Get(h_.AuthorizeTarget("&prompt=none"), &browser);
  ASSERT_EQ(res.status, 302);
  std::string location = res.GetHeader("Location");
  EXPECT_THAT(location, StartsWith(std::string(kCallback) + "?"));
  EXPECT_EQ(UrlParam(location, "error"), "login_required");
  EXPECT_EQ(UrlParam(location, "state"), "st-123");
  EXPECT_EQ(UrlParam(location, "iss"), kIssuer);
  EXPECT_EQ(UrlParam(location, "code"), "");
}

TEST_F(FlowIntegrationTest, PromptNoneWithASessionLogsInSilently) {
  Browser browser;
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  http::Response res = h_.Get(h_.AuthorizeTarget("&prompt=none"), &browser);
  ASSERT_EQ(res.status, 302);
  EXPECT_FALSE(UrlParam(res.GetHeader("Location"), "code").empty());
}

TEST_F(FlowIntegrationTest, MaxAgeZeroForcesLogin) {
  Browser browser;
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  http::Response res = h_.Get(h_.AuthorizeTarget("&max_age=0"), &browser);
  ASSERT_EQ(res.status, 302);
  EXPECT_THAT(res.GetHeader("Location"), StartsWith("/u/login?tx="));
}

TEST_F(FlowIntegrationTest, MaxAgeAllowsARecentSessionOnly) {
  Browser browser;
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  h_.clock.Advance(std::chrono::seconds(100));
  http::Response recent = h_.Get(h_.AuthorizeTarget("&max_age=100"), &browser);
  EXPECT_THAT(recent.GetHeader("Location"), StartsWith(std::string(kCallback) + "?code="));
  h_.clock.Advance(std::chrono::seconds(1));
  http::Response old = h_.Get(h_.AuthorizeTarget("&max_age=100"), &browser);
  EXPECT_THAT(old.GetHeader("Location"), StartsWith("/u/login?tx="));
  http::Response none = h_.Get(h_.AuthorizeTarget("&max_age=100&prompt=none"), &browser);
  EXPECT_EQ(UrlParam(none.GetHeader("Location"), "error"), "login_required");
}

TEST_F(FlowIntegrationTest, WrongPasswordAndUnknownUserAnswerIdentically) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  http::Response wrong = h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", "nope");
  http::Response unknown =
      h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com.invalid", "nope");
  // Same identifier field contents, so the pages must be byte-identical apart from it.
  std::string unknown_body = unknown.body;
  auto at = unknown_body.find("ann@example.com.invalid");
  ASSERT_NE(at, std::string::npos);
  unknown_body.replace(at, std::string("ann@example.com.invalid").size(), "ann@example.com");
  EXPECT_EQ(wrong.status, unknown.status);
  EXPECT_EQ(wrong.body, unknown_body);
  EXPECT_THAT(wrong.body, HasSubstr("Wrong email or password."));
  EXPECT_EQ(HiddenInput(wrong.body, "csrf"), page.csrf);
  EXPECT_FALSE(browser.Get("gh_session").has_value());

  // The transaction is still usable after failures.
  http::Response ok = h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword);
  EXPECT_EQ(ok.status, 302);
}

TEST_F(FlowIntegrationTest, EleventhFailedLoginIsBlockedEvenWithTheRightPassword) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  for (int i = 0; i < 10; ++i) {
    http::Response res = h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", "nope");
    ASSERT_THAT(res.body, HasSubstr("Wrong email or password.")) << i;
  }
  http::Response blocked =
      h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword);
  EXPECT_EQ(blocked.status, 429);
  EXPECT_THAT(blocked.body, HasSubstr("Too many failed login attempts"));
}

TEST_F(FlowIntegrationTest, UnregisteredRedirectUriIsAnErrorPageNeverARedirect) {
  Browser browser;
  std::string target = h_.AuthorizeTarget();
  for (const char* evil : {"https://evil.example/callback", "https://app.example.com/callback/",
                           "https://APP.example.com/callback"}) {
    std::string t = target;
    std::string registered = "redirect_uri=" + http::UrlEncode(kCallback);
    t.replace(t.find(registered), registered.size(), "redirect_uri=" + http::UrlEncode(evil));
    http::Response res = h_.Get(t, &browser);
    EXPECT_EQ(res.status, 400) << evil;
    EXPECT_EQ(res.GetHeader("Location"), "") << evil;
    EXPECT_THAT(res.body, HasSubstr("invalid_request")) << evil;
    EXPECT_THAT(res.GetHeader("Content-Security-Policy"), HasSubstr("default-src 'none'"));
  }
}

TEST_F(FlowIntegrationTest, UnknownClientIsAnErrorPage) {
  Browser browser;
  http::Response res = h_.Get(
      "/authorize?response_type=code&client_id=nope&redirect_uri=" + http::UrlEncode(kCallback),
      &browser);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.GetHeader("Location"), "");
}

TEST_F(FlowIntegrationTest, ErrorsAfterTheRedirectUriIsKnownGoToTheClient) {
  Browser browser;
  std::string target = h_.AuthorizeTarget();
  target.replace(target.find("response_type=code"), 18, "response_type=token");
  http::Response res = h_.Get(target, &browser);
  ASSERT_EQ(res.status, 302);
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "error"), "unsupported_response_type");
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "state"), "st-123");
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "iss"), kIssuer);
}

TEST_F(FlowIntegrationTest, LoginWithoutTheTransactionCookieIsRefused) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  Browser cookieless;
  http::Response get = h_.Get("/u/login?tx=" + page.tx, &cookieless);
  EXPECT_EQ(get.status, 400);
  http::Response post =
      h_.SubmitLogin(cookieless, page.tx, page.csrf, "ann@example.com", kPassword);
  EXPECT_EQ(post.status, 400);
  EXPECT_EQ(post.GetHeader("Location"), "");
}

TEST_F(FlowIntegrationTest, LoginFromAnotherBrowserIsRefused) {
  Browser victim, attacker;
  auto page = h_.OpenLoginPage(victim);
  h_.OpenLoginPage(attacker);  // the attacker has a gh_tx cookie of their own
  http::Response get = h_.Get("/u/login?tx=" + page.tx, &attacker);
  EXPECT_EQ(get.status, 400);
  EXPECT_THAT(get.body, HasSubstr("another browser"));
  http::Response post = h_.SubmitLogin(attacker, page.tx, page.csrf, "ann@example.com", kPassword);
  EXPECT_EQ(post.status, 400);
  EXPECT_FALSE(attacker.Get("gh_session").has_value());
}

TEST_F(FlowIntegrationTest, WrongCsrfTokenIsRefused) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  http::Response res = h_.SubmitLogin(browser, page.tx, "forged", "ann@example.com", kPassword);
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(res.GetHeader("Location"), "");
  http::Response missing =
      h_.PostForm("/u/login", "tx=" + page.tx + "&username=ann%40example.com&password=x", &browser);
  EXPECT_EQ(missing.status, 403);
}

TEST_F(FlowIntegrationTest, ReplayedLoginPostIsAnError) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  ASSERT_EQ(h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword).status, 302);
  http::Response replay = h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword);
  EXPECT_EQ(replay.status, 400);
  EXPECT_EQ(replay.GetHeader("Location"), "");
  EXPECT_THAT(replay.body, HasSubstr("already been completed"));
  EXPECT_EQ(h_.Get("/u/login?tx=" + page.tx, &browser).status, 400);
}

TEST_F(FlowIntegrationTest, RacingLoginPostsOfOneTransactionYieldOneCode) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  constexpr int kRacers = 4;
  std::vector<Browser> copies(kRacers, browser);
  std::vector<http::Response> answers(kRacers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      answers[i] = h_.SubmitLogin(copies[i], page.tx, page.csrf, "ann@example.com", kPassword);
    });
  }
  for (auto& t : threads) t.join();
  int codes = 0;
  for (const auto& answer : answers) {
    if (answer.status == 302 && !UrlParam(answer.GetHeader("Location"), "code").empty()) {
      ++codes;
    } else {
      EXPECT_EQ(answer.status, 400) << answer.body;
      EXPECT_EQ(answer.GetHeader("Location"), "");
    }
  }
  EXPECT_EQ(codes, 1);
}

TEST_F(FlowIntegrationTest, ExpiredTransactionIsAnError) {
  Browser browser;
  auto page = h_.OpenLoginPage(browser);
  h_.clock.Advance(std::chrono::seconds(3600));
  http::Response res = h_.SubmitLogin(browser, page.tx, page.csrf, "ann@example.com", kPassword);
  EXPECT_EQ(res.status, 400);
  EXPECT_THAT(res.body, HasSubstr("expired"));
}

TEST_F(FlowIntegrationTest, ConcurrentLoginsInOneBrowser) {
  Browser browser;
  auto first = h_.OpenLoginPage(browser);
  auto second = h_.OpenLoginPage(browser);
  EXPECT_NE(first.tx, second.tx);
  http::Response a = h_.SubmitLogin(browser, second.tx, second.csrf, "ann@example.com", kPassword);
  http::Response b = h_.SubmitLogin(browser, first.tx, first.csrf, "ann@example.com", kPassword);
  EXPECT_EQ(a.status, 302);
  EXPECT_EQ(b.status, 302);
  EXPECT_NE(UrlParam(a.GetHeader("Location"), "code"), UrlParam(b.GetHeader("Location"), "code"));
}

TEST_F(FlowIntegrationTest, LoginRenewsTheSessionId) {
  Browser browser;
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  std::string first = *browser.Get("gh_session");
  ASSERT_EQ(PasswordLogin(browser, "&prompt=login").status, 302);
  std::string second = *browser.Get("gh_session");
  EXPECT_NE(first, second);
  // The old session is gone: a browser holding it gets no silent login.
  Browser stale;
  stale.Set("gh_session", first);
  http::Response res = h_.Get(h_.AuthorizeTarget("&prompt=none"), &stale);
  EXPECT_EQ(UrlParam(res.GetHeader("Location"), "error"), "login_required");
}

TEST_F(FlowIntegrationTest, PlantedSessionCookieIsReplacedAtLogin) {
  Browser browser;
  std::string planted(43, 'A');
  browser.Set("gh_session", planted);
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  EXPECT_NE(*browser.Get("gh_session"), planted);
}

TEST_F(FlowIntegrationTest, SignupLogsTheNewUserIn) {
  Browser browser;
  http::Response authorize = h_.Get(h_.AuthorizeTarget(), &browser);
  std::string tx = UrlParam(authorize.GetHeader("Location"), "tx");
  http::Response page = h_.Get("/u/signup?tx=" + tx, &browser);
  ASSERT_EQ(page.status, 200);
  std::string csrf = HiddenInput(page.body, "csrf");
  http::Response res =
      h_.PostForm("/u/signup",
                  "tx=" + tx + "&csrf=" + csrf + "&email=new%40example.com&password=" +
                      http::UrlEncode(kPassword) + "&given_name=New&family_name=",
                  &browser);
  ASSERT_EQ(res.status, 302) << res.body;
  EXPECT_FALSE(UrlParam(res.GetHeader("Location"), "code").empty());
  auto user = h_.users->GetByEmail("new@example.com");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->record.given_name, "New");
  EXPECT_EQ(user->record.logins_count, 1);
}

TEST_F(FlowIntegrationTest, SignupWithATakenEmailSaysSo) {
  Browser browser;
  http::Response authorize = h_.Get(h_.AuthorizeTarget(), &browser);
  std::string tx = UrlParam(authorize.GetHeader("Location"), "tx");
  std::string csrf = HiddenInput(h_.Get("/u/signup?tx=" + tx, &browser).body, "csrf");
  http::Response res =
      h_.PostForm("/u/signup",
                  "tx=" + tx + "&csrf=" + csrf +
                      "&email=ann%40example.com&password=" + http::UrlEncode(kPassword),
                  &browser);
  EXPECT_EQ(res.status, 400);
  EXPECT_THAT(res.body, HasSubstr("already exists"));
  EXPECT_FALSE(browser.Get("gh_session").has_value());
  http::Response weak = h_.PostForm(
      "/u/signup", "tx=" + tx + "&csrf=" + csrf + "&email=x%40example.com&password=a", &browser);
  EXPECT_EQ(weak.status, 400);
  EXPECT_THAT(weak.body, HasSubstr("role=\"alert\""));
}

TEST_F(FlowIntegrationTest, LogoutRedirectsOnlyToAnAllowedReturnTo) {
  Browser browser;
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  http::Response res = h_.Get(
      "/v2/logout?client_id=" + h_.client.client_id + "&returnTo=" + http::UrlEncode(kLogoutUrl),
      &browser);
  EXPECT_EQ(res.status, 302);
  EXPECT_EQ(res.GetHeader("Location"), kLogoutUrl);
  EXPECT_FALSE(browser.Get("gh_session").has_value());
  http::Response after = h_.Get(h_.AuthorizeTarget("&prompt=none"), &browser);
  EXPECT_EQ(UrlParam(after.GetHeader("Location"), "error"), "login_required");
}

TEST_F(FlowIntegrationTest, LogoutNeverRedirectsElsewhere) {
  for (const std::string& query :
       {"client_id=" + h_.client.client_id +
            "&returnTo=" + http::UrlEncode("https://evil.example/"),
        "client_id=" + h_.client.client_id +
            "&returnTo=" + http::UrlEncode(std::string(kLogoutUrl) + "/"),
        "returnTo=" + http::UrlEncode(kLogoutUrl),
        "client_id=unknown&returnTo=" + http::UrlEncode(kLogoutUrl), std::string()}) {
    Browser browser;
    ASSERT_EQ(PasswordLogin(browser).status, 302);
    http::Response res = h_.Get("/v2/logout?" + query, &browser);
    EXPECT_EQ(res.status, 200) << query;
    EXPECT_EQ(res.GetHeader("Location"), "") << query;
    EXPECT_THAT(res.body, HasSubstr("You are logged out")) << query;
    EXPECT_FALSE(browser.Get("gh_session").has_value()) << query;
  }
}

}  // namespace
}  // namespace gatehouse::flow::testing
