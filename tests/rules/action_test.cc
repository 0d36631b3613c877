// Auth0 Actions on the engine: the post-login api and event, and the
// redirect pair encodeToken / validateToken (SPEC §3 for actions, issue 11).

#include "rules/action.h"

#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace gatehouse::rules {
namespace {

using nlohmann::json;
using testing::SharedEngine;

Action MakeAction(std::string name, std::string code,
                  std::map<std::string, std::string> secrets = {}) {
  Action a;
  a.id = "act_" + name;
  a.name = std::move(name);
  a.code = std::move(code);
  a.secrets = std::move(secrets);
  return a;
}

ActionsInput DefaultActionsInput() {
  ActionsInput input;
  input.tenant = "t1";
  input.event = {
      {"user", testing::DefaultUser()},
      {"client", {{"client_id", "client-1"}, {"name", "App"}}},
      {"connection", {{"name", "Username-Password-Authentication"}}},
      {"request", {{"ip", "192.0.2.1"}, {"query", json::object()}, {"body", json::object()}}},
      {"transaction", {{"protocol", "oidc-basic-profile"}}},
      {"stats", {{"logins_count", 3}}},
      {"authentication", {{"methods", json::array({{{"name", "pwd"}}})}}},
      {"authorization", {{"roles", json::array()}}}};
  input.state = "state-1";
  input.issuer = "https://login.example.com/";
  input.scope = "openid profile email";
  return input;
}

ActionsOutcome RunActions(std::vector<Action> actions, ActionsInput input = DefaultActionsInput()) {
  RecordingHostCallbacks host;
  return SharedEngine().RunActionsSync(std::move(actions), std::move(input), host);
}

std::string Describe(const ActionsOutcome& o) {
  std::string s = std::string(OutcomeKindName(o.kind)) + " " + o.error_code + ": " +
                  o.error_description + " | " + o.debug;
  for (const auto& line : o.console) s += "\n  [" + line.level + "] " + line.text;
  return s;
}

TEST(Actions, EventFieldsSecretsAndClaims) {
  auto out = RunActions({MakeAction("claims", R"JS(
    exports.onExecutePostLogin = async (event, api) => {
      api.idToken.setCustomClaim('https://x/seen', {
        user: event.user.user_id, client: event.client.client_id, ip: event.request.ip,
        protocol: event.transaction.protocol, logins: event.stats.logins_count,
        secret: event.secrets.KEY, methods: event.authentication.methods.map(m => m.name),
        canRedirect: api.redirect.canRedirect()});
      api.accessToken.setCustomClaim('https://x/at', 1);
      api.idToken.setCustomClaim('plain', 1);
    };)JS",
                                    {{"KEY", "s3cret"}})});
  ASSERT_EQ(out.kind, OutcomeKind::kContinue) << Describe(out);
  EXPECT_EQ(out.collected["idToken"]["https://x/seen"], (json{{"user", "auth0|u1"},
                                                              {"client", "client-1"},
                                                              {"ip", "192.0.2.1"},
                                                              {"protocol", "oidc-basic-profile"},
                                                              {"logins", 3},
                                                              {"secret", "s3cret"},
                                                              {"methods", {"pwd"}},
                                                              {"canRedirect", true}}));
  EXPECT_EQ(out.collected["accessToken"]["https://x/at"], 1);
  EXPECT_FALSE(out.collected["idToken"].contains("plain"));  // not namespaced: dropped, warned
  ASSERT_FALSE(out.console.empty());
  EXPECT_NE(out.console[0].text.find("namespaced"), std::string::npos);
}

TEST(Actions, SecretsAreOnlyTheActionsOwn) {
  auto out = RunActions({MakeAction("a", "exports.onExecutePostLogin = () => {};", {{"A", "1"}}),
                         MakeAction("b", R"JS(exports.onExecutePostLogin = (event, api) => {
                    api.idToken.setCustomClaim('https://x/s', Object.keys(event.secrets)); };)JS",
                                    {{"B", "2"}})});
  ASSERT_EQ(out.kind, OutcomeKind::kContinue) << Describe(out);
  EXPECT_EQ(out.collected["idToken"]["https://x/s"], json::array({"B"}));
}

TEST(Actions, MetadataIsCollectedNullDeletesAndLaterActionsSeeIt) {
  auto input = DefaultActionsInput();
  input.event["user"]["user_metadata"] = {{"keep", 1}, {"gone", 2}};
  auto out = RunActions({MakeAction("set", R"JS(exports.onExecutePostLogin = async (event, api) => {
                    api.user.setUserMetadata('color', 'blue');
                    api.user.setUserMetadata('gone', null);
                    api.user.setAppMetadata('plan', 'gold'); };)JS"),
                         MakeAction("see", R"JS(exports.onExecutePostLogin = async (event, api) => {
                    api.idToken.setCustomClaim('https://x/md', event.user.user_metadata); };)JS")},
                        input);
  ASSERT_EQ(out.kind, OutcomeKind::kContinue) << Describe(out);
  EXPECT_EQ(out.collected["userMetadata"], (json{{"color", "blue"}, {"gone", nullptr}}));
  EXPECT_EQ(out.collected["appMetadata"], (json{{"plan", "gold"}}));
  EXPECT_EQ(out.collected["idToken"]["https://x/md"], (json{{"keep", 1}, {"color", "blue"}}));
}

TEST(Actions, ScopesAddAndRemove) {
  auto out =
      RunActions({MakeAction("scopes", R"JS(exports.onExecutePostLogin = async (event, api) => {
                    api.accessToken.removeScope('email'); api.accessToken.addScope('read:things'); };)JS")});
  ASSERT_EQ(out.kind, OutcomeKind::kContinue) << Describe(out);
  EXPECT_EQ(out.collected["scope"], json::array({"openid", "profile", "read:things"}));
  auto untouched = RunActions({MakeAction("none", "exports.onExecutePostLogin = () => {};")});
  EXPECT_TRUE(untouched.collected["scope"].is_null());
}

TEST(Actions, DenyStopsThePipelineAfterTheAction) {
  auto out =
      RunActions({MakeAction("deny", R"JS(exports.onExecutePostLogin = async (event, api) => {
                    api.access.deny('no entry'); api.idToken.setCustomClaim('https://x/after', 1); };)JS"),
                  MakeAction("never", R"JS(exports.onExecutePostLogin = async (event, api) => {
                    api.idToken.setCustomClaim('https://x/never', 1); };)JS")});
  ASSERT_EQ(out.kind, OutcomeKind::kDeny) << Describe(out);
  EXPECT_EQ(out.error_code, "access_denied");
  EXPECT_EQ(out.error_description, "no entry");
  EXPECT_EQ(out.failed_action, "deny");
  EXPECT_EQ(out.index, 0u);
  EXPECT_FALSE(out.collected["idToken"].contains("https://x/never"));
}

TEST(Actions, ThrownErrorsDenyAndBrokenCodeFails) {
  auto thrown = RunActions({MakeAction("throws", R"JS(exports.onExecutePostLogin = async () => {
                       throw new Error('boom'); };)JS")});
  EXPECT_EQ(thrown.kind, OutcomeKind::kDeny) << Describe(thrown);
  EXPECT_EQ(thrown.error_description, "boom");
  auto broken = RunActions({MakeAction("broken", "exports.onExecutePostLogin = (;")});
  EXPECT_EQ(broken.kind, OutcomeKind::kError) << Describe(broken);
  EXPECT_EQ(broken.error_code, "server_error");
  EXPECT_EQ(broken.failed_action, "broken");
}

TEST(Actions, RequireWorksAsForRules) {
  auto out = RunActions(
      {MakeAction("req", R"JS(const _ = require('lodash'); const jwt = require('jsonwebtoken');
    exports.onExecutePostLogin = async (event, api) => {
      api.idToken.setCustomClaim('https://x/r', _.capitalize('ada') + typeof jwt.sign); };)JS")});
  ASSERT_EQ(out.kind, OutcomeKind::kContinue) << Describe(out);
  EXPECT_EQ(out.collected["idToken"]["https://x/r"], "Adafunction");
}

// The redirect pair: the first action sends the user away with a token bound
// to the /continue state; its onContinuePostLogin validates what comes back.
constexpr const char* kRedirectPair = R"JS(
  exports.onExecutePostLogin = async (event, api) => {
    const token = api.redirect.encodeToken({secret: event.secrets.SECRET,
        expiresInSeconds: Number(event.secrets.LIFETIME || 900), payload: {continue_uri: 'x'}});
    api.redirect.sendUserTo('https://site.example/page?a=1', {query: {session_token: token}});
  };
  exports.onContinuePostLogin = async (event, api) => {
    const payload = api.redirect.validateToken({secret: event.secrets.SECRET});
    api.idToken.setCustomClaim('https://x/resumed', payload.sub);
    api.authentication.recordMethod('https://site.example');
  };)JS";

constexpr const char* kSecondAction = R"JS(
  exports.onExecutePostLogin = async (event, api) => {
    api.idToken.setCustomClaim('https://x/second', event.authentication.methods.map(m => m.name));
  };)JS";

std::string TokenFrom(const ActionsOutcome& out) {
  auto q = out.redirect_url->find("session_token=");
  return out.redirect_url->substr(q + 14);
}

ActionsOutcome Resume(const ActionsOutcome& paused, const std::string& token,
                      const std::string& state = "state-1",
                      const std::string& secret = "topsecret") {
  auto input = DefaultActionsInput();
  input.start = paused.index;
  input.resume = true;
  input.state = "the-next-state";  // what a redirect of a later action would use
  input.resume_state = state;
  input.collected = paused.collected;
  input.event["request"]["query"] = {{"state", state}, {"session_token", token}};
  return RunActions({MakeAction("pair", kRedirectPair, {{"SECRET", secret}}),
                     MakeAction("second", kSecondAction)},
                    input);
}

ActionsOutcome StartPair(const std::string& state = "state-1",
                         const std::string& lifetime = "900") {
  auto input = DefaultActionsInput();
  input.state = state;
  input.collected = {{"idToken", {{"https://x/before", true}}}};
  return RunActions(
      {MakeAction("pair", kRedirectPair, {{"SECRET", "topsecret"}, {"LIFETIME", lifetime}}),
       MakeAction("second", kSecondAction)},
      input);
}

TEST(ActionsRedirect, EncodeTokenRedirectAndValidateOnContinue) {
  auto paused = StartPair();
  ASSERT_EQ(paused.kind, OutcomeKind::kRedirect) << Describe(paused);
  EXPECT_EQ(paused.index, 0u);
  ASSERT_EQ(paused.redirect_url->rfind("https://site.example/page?a=1&session_token=", 0), 0u)
      << *paused.redirect_url;
  EXPECT_FALSE(paused.collected["idToken"].contains("https://x/second"));  // not run yet

  auto resumed = Resume(paused, TokenFrom(paused));
  ASSERT_EQ(resumed.kind, OutcomeKind::kContinue) << Describe(resumed);
  EXPECT_EQ(resumed.collected["idToken"]["https://x/before"], true);  // carried over
  EXPECT_EQ(resumed.collected["idToken"]["https://x/resumed"], "auth0|u1");
  EXPECT_EQ(resumed.collected["idToken"]["https://x/second"],
            json::array({"pwd", "https://site.example"}));
  ASSERT_EQ(resumed.collected["methods"].size(), 1u);
}

TEST(ActionsRedirect, TokenCarriesSubIssIpStateAndExp) {
  auto out =
      RunActions({MakeAction("claims", R"JS(exports.onExecutePostLogin = async (event, api) => {
    const t = api.redirect.encodeToken({secret: 's', payload: {x: 1}});
    const p = require('jsonwebtoken').verify(t, 's');
    api.idToken.setCustomClaim('https://x/p', {sub: p.sub, iss: p.iss, ip: p.ip, state: p.state, x: p.x,
        life: p.exp - Math.floor(Date.now() / 1000)}); };)JS")});
  ASSERT_EQ(out.kind, OutcomeKind::kContinue) << Describe(out);
  auto p = out.collected["idToken"]["https://x/p"];
  EXPECT_EQ(p["sub"], "auth0|u1");
  EXPECT_EQ(p["iss"], "https://login.example.com/");
  EXPECT_EQ(p["ip"], "192.0.2.1");
  EXPECT_EQ(p["state"], "state-1");
  EXPECT_EQ(p["x"], 1);
  EXPECT_GE(p["life"].get<int>(), 898);
  EXPECT_LE(p["life"].get<int>(), 900);
}

TEST(ActionsRedirect, WrongStateClaimIsRefused) {
  auto paused = StartPair("state-of-another-login");
  ASSERT_EQ(paused.kind, OutcomeKind::kRedirect) << Describe(paused);
  auto resumed = Resume(paused, TokenFrom(paused), "state-1");
  EXPECT_EQ(resumed.kind, OutcomeKind::kDeny) << Describe(resumed);
  EXPECT_NE(resumed.error_description.find("state"), std::string::npos);
  EXPECT_FALSE(resumed.collected["idToken"].contains("https://x/resumed"));
}

TEST(ActionsRedirect, WrongSecretIsRefused) {
  auto paused = StartPair();
  auto resumed = Resume(paused, TokenFrom(paused), "state-1", "another-secret");
  EXPECT_EQ(resumed.kind, OutcomeKind::kDeny) << Describe(resumed);
  EXPECT_EQ(resumed.error_description, "invalid signature");
}

TEST(ActionsRedirect, ExpiredTokenIsRefused) {
  auto paused = StartPair("state-1", "-5");
  auto resumed = Resume(paused, TokenFrom(paused));
  EXPECT_EQ(resumed.kind, OutcomeKind::kDeny) << Describe(resumed);
  EXPECT_EQ(resumed.error_description, "jwt expired");
}

TEST(ActionsRedirect, MissingTokenIsRefused) {
  auto paused = StartPair();
  auto resumed = Resume(paused, "");
  EXPECT_EQ(resumed.kind, OutcomeKind::kDeny) << Describe(resumed);
}

TEST(ActionsRedirect, BackChannelCannotRedirectAndExecuteCannotRecordMethods) {
  auto input = DefaultActionsInput();
  input.can_redirect = false;
  auto out =
      RunActions({MakeAction("probe", R"JS(exports.onExecutePostLogin = async (event, api) => {
                    api.idToken.setCustomClaim('https://x/can', api.redirect.canRedirect()); };)JS")},
                 input);
  ASSERT_EQ(out.kind, OutcomeKind::kContinue) << Describe(out);
  EXPECT_EQ(out.collected["idToken"]["https://x/can"], false);
  auto record =
      RunActions({MakeAction("rec", R"JS(exports.onExecutePostLogin = async (event, api) => {
                       api.authentication.recordMethod('https://x'); };)JS")});
  EXPECT_EQ(record.kind, OutcomeKind::kDeny) << Describe(record);
}

TEST(ActionsRedirect, ContinueCannotRedirectAgain) {
  auto input = DefaultActionsInput();
  input.resume = true;
  auto out =
      RunActions({MakeAction("again", R"JS(exports.onContinuePostLogin = async (event, api) => {
                    api.redirect.sendUserTo('https://elsewhere.example'); };)JS")},
                 input);
  EXPECT_EQ(out.kind, OutcomeKind::kContinue) << Describe(out);
  EXPECT_FALSE(out.redirect_url.has_value());
}

}  // namespace
}  // namespace gatehouse::rules
