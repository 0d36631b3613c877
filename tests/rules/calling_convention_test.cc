// SPEC §4.1, §4.2, §4.4, §3.5: the rule calling convention and outcomes.
#include <gtest/gtest.h>

#include "rules/engine_fixture.h"

namespace gatehouse::rules {
namespace {

using testing::DefaultInput;
using testing::Describe;
using testing::RunScript;
using testing::RunScripts;
using testing::SharedEngine;

TEST(CallingConvention, ContinueWithChangedUserAndContext) {
  auto o = RunScript(R"(function addRole(user, context, callback) {
    user.nickname = 'ada';
    context.idToken['https://example.com/roles'] = ['admin'];
    context.accessToken['https://example.com/tier'] = 'gold';
    callback(null, user, context);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["nickname"], "ada");
  EXPECT_EQ(o.user["email"], "ada@example.com");
  EXPECT_EQ(o.id_token_claims["https://example.com/roles"][0], "admin");
  EXPECT_EQ(o.access_token_claims["https://example.com/tier"], "gold");
  EXPECT_EQ(o.context["tenant"], "t1");
  EXPECT_EQ(o.context["protocol"], "oidc-basic-profile");
  ASSERT_EQ(o.timings.size(), 1u);
  EXPECT_EQ(o.timings[0].rule, "rule 1");
}

TEST(CallingConvention, ModernJavaScript) {
  auto o = RunScript(R"(async (user, context, callback) => {
    class Greeter { #name; constructor(n) { this.#name = n; } greet() { return `hi ${this.#name}`; } }
    const { email, user_metadata: { missing = 'default' } = {} } = user;
    const [first, ...rest] = [1, 2, 3];
    const wait = (v) => new Promise((resolve) => setTimeout(() => resolve(v), 1));
    const n = await wait(first + rest.length);
    user.greeting = new Greeter(email).greet();
    user.sum = n;
    user.missing = missing;
    user.opt = user?.nothing?.deeper ?? 'nullish';
    user.big = (2n ** 64n).toString();
    return callback(null, user, context);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["greeting"], "hi ada@example.com");
  EXPECT_EQ(o.user["sum"], 3);
  EXPECT_EQ(o.user["missing"], "default");
  EXPECT_EQ(o.user["opt"], "nullish");
  EXPECT_EQ(o.user["big"], "18446744073709551616");
}

TEST(CallingConvention, LaterRulesSeeEarlierChangesInOrder) {
  auto o = RunScripts(SharedEngine(),
                      {"function a(user, context, callback) { user.trail = ['a']; callback(null, "
                       "user, context); }",
                       "function b(user, context, callback) { user.trail.push('b'); "
                       "callback(null, user, context); }"},
                      DefaultInput());
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["trail"], nlohmann::json({"a", "b"}));
  EXPECT_EQ(o.timings.size(), 2u);
}

TEST(CallingConvention, OrderAndEnabledFlagDecideWhatRuns) {
  std::vector<Rule> rules = {
      testing::MakeRule(
          "function (u, c, cb) { u.trail = (u.trail || []).concat('second'); cb(null, u, c); }",
          "second", 2),
      testing::MakeRule(
          "function (u, c, cb) { u.trail = (u.trail || []).concat('first'); cb(null, u, c); }",
          "first", 1),
      testing::MakeRule("function (u, c, cb) { cb(new Error('disabled rule ran')); }", "off", 0),
  };
  rules[2].enabled = false;
  RecordingHostCallbacks host;
  auto o = SharedEngine().RunSync(rules, DefaultInput(), host);
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["trail"], nlohmann::json({"first", "second"}));
}

TEST(CallingConvention, UnauthorizedErrorDeniesWithUnauthorized) {
  auto o = RunScripts(SharedEngine(),
                      {"function (user, context, callback) { callback(new "
                       "UnauthorizedError('blocked: ' + user.email)); }",
                       "function (user, context, callback) { user.ran = true; callback(null, "
                       "user, context); }"},
                      DefaultInput());
  EXPECT_EQ(o.kind, OutcomeKind::kDeny);
  EXPECT_EQ(o.error_code, "unauthorized");
  EXPECT_EQ(o.error_description, "blocked: ada@example.com");
  EXPECT_EQ(o.failed_rule, "rule 1");
  EXPECT_EQ(o.timings.size(), 1u) << "rules after a denial must not run";
}

TEST(CallingConvention, OtherErrorsDenyWithAccessDenied) {
  auto o = RunScript("function (user, context, callback) { callback(new Error('nope')); }");
  EXPECT_EQ(o.kind, OutcomeKind::kDeny);
  EXPECT_EQ(o.error_code, "access_denied");
  EXPECT_EQ(o.error_description, "nope");

  o = RunScript("function (user, context, callback) { callback('plain string'); }");
  EXPECT_EQ(o.error_code, "access_denied");
  EXPECT_EQ(o.error_description, "plain string");
}

TEST(CallingConvention, ThrowIsAccessDenied) {
  auto o = RunScript("function (user, context, callback) { null.boom; }");
  EXPECT_EQ(o.kind, OutcomeKind::kDeny);
  EXPECT_EQ(o.error_code, "access_denied");
  EXPECT_NE(o.error_description.find("null"), std::string::npos) << o.error_description;

  o = RunScript("async function (user, context, callback) { await 1; throw new Error('late'); }");
  EXPECT_EQ(o.error_code, "access_denied");
  EXPECT_EQ(o.error_description, "late");

  o = RunScript(
      "function (user, context, callback) { setTimeout(() => { throw new Error('in timer'); }, 0); "
      "}");
  EXPECT_EQ(o.error_code, "access_denied");
  EXPECT_EQ(o.error_description, "in timer");
}

TEST(CallingConvention, SecondCallbackIsIgnoredAndLogged) {
  auto o = RunScript(R"(function (user, context, callback) {
    user.first = true;
    callback(null, user, context);
    callback(new Error('second call'));
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["first"], true);
  ASSERT_FALSE(o.console.empty());
  EXPECT_EQ(o.console[0].level, "warn");
  EXPECT_NE(o.console[0].text.find("more than once"), std::string::npos);
}

TEST(CallingConvention, CallbackAfterTimerAndWithoutArgumentsKeepsState) {
  auto o = RunScript(R"(function (user, context, callback) {
    user.x = 1;
    setTimeout(() => callback(null), 5);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["x"], 1);
}

TEST(CallingConvention, RedirectAfterAllRulesAndLaterRulesMayClearIt) {
  auto o = RunScripts(SharedEngine(),
                      {"function (u, c, cb) { c.redirect = { url: 'https://site.example/p?x=1' }; "
                       "cb(null, u, c); }",
                       "function (u, c, cb) { u.afterRedirect = true; cb(null, u, c); }"},
                      DefaultInput());
  ASSERT_EQ(o.kind, OutcomeKind::kRedirect) << Describe(o);
  EXPECT_EQ(o.redirect_url, "https://site.example/p?x=1");
  EXPECT_EQ(o.user["afterRedirect"], true);

  o = RunScripts(
      SharedEngine(),
      {"function (u, c, cb) { c.redirect = { url: 'https://site.example/' }; cb(null, u, c); }",
       "function (u, c, cb) { delete c.redirect; cb(null, u, c); }"},
      DefaultInput());
  EXPECT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
}

TEST(CallingConvention, RedirectOnResumePassIsIgnored) {
  auto input = DefaultInput();
  input.protocol = "redirect-callback";
  input.context["original_protocol"] = "oidc-basic-profile";
  auto o = RunScript(R"(function (u, c, cb) {
    u.seen = c.protocol + '/' + c.original_protocol;
    c.redirect = { url: 'https://again.example/' };
    cb(null, u, c);
  })",
                     input);
  EXPECT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["seen"], "redirect-callback/oidc-basic-profile");
  EXPECT_FALSE(o.redirect_url);
}

TEST(CallingConvention, UnnamespacedClaimsAreDropped) {
  auto o = RunScript(R"(function (u, c, cb) {
    c.idToken.sub = 'evil';
    c.idToken.role = 'admin';
    c.idToken['https://ns.example/ok'] = 1;
    c.accessToken.scope = 'openid';
    cb(null, u, c);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.id_token_claims, nlohmann::json({{"https://ns.example/ok", 1}}));
  EXPECT_EQ(o.access_token_claims, nlohmann::json({{"scope", "openid"}}));
}

TEST(CallingConvention, CompileRefusesBrokenScriptsWithLine) {
  Status s = SharedEngine().Compile(
      testing::MakeRule("function (user, context, callback) {\n  let x = ;\n}"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("SyntaxError"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("line 2"), std::string::npos) << s.message();
  EXPECT_TRUE(
      SharedEngine().Compile(testing::MakeRule("function (u, c, cb) { cb(null, u, c); }")).ok());
}

TEST(CallingConvention, RunningABrokenOrNonFunctionScriptIsServerError) {
  auto o = RunScript("function (user, context, callback) {");
  EXPECT_EQ(o.kind, OutcomeKind::kError);
  EXPECT_EQ(o.error_code, "server_error");
  EXPECT_NE(o.debug.find("SyntaxError"), std::string::npos) << o.debug;

  o = RunScript("42");
  EXPECT_EQ(o.error_code, "server_error");
  EXPECT_NE(o.debug.find("not a function"), std::string::npos) << o.debug;
}

TEST(CallingConvention, CallbackNeverCalledFails) {
  auto o = RunScript("function (user, context, callback) { user.x = 1; }");
  EXPECT_EQ(o.kind, OutcomeKind::kError);
  EXPECT_EQ(o.error_code, "server_error");
  EXPECT_NE(o.debug.find("without calling callback"), std::string::npos) << o.debug;
}

TEST(CallingConvention, UserThatCannotBeSerialisedIsServerError) {
  auto o = RunScript("function (u, c, cb) { u.self = u; cb(null, u, c); }");
  EXPECT_EQ(o.error_code, "server_error");
  EXPECT_NE(o.debug.find("serialised"), std::string::npos) << o.debug;
}

}  // namespace
}  // namespace gatehouse::rules
