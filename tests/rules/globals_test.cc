// SPEC §4.3: the globals a rule sees.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "rules/engine_fixture.h"

namespace gatehouse::rules {
namespace {

using testing::DefaultInput;
using testing::Describe;
using testing::RunScript;
using testing::RunScripts;
using testing::SharedEngine;

// Runs `body` (statements that may set `out`) and returns `out` as JSON.
nlohmann::json Eval(const std::string& body, ExecutionInput input = DefaultInput()) {
  auto o = RunScript("async function (user, context, callback) { let out;\n" + body +
                         "\nuser.out = out; callback(null, user, context); }",
                     std::move(input));
  EXPECT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  return o.user.value("out", nlohmann::json());
}

TEST(Globals, ConfigurationIsReadOnlySettings) {
  auto input = DefaultInput();
  input.configuration = {{"TOKEN_ISSUER", "https://issuer.example"}, {"N", "3"}};
  auto out = Eval(R"(
    configuration.N = 'changed';
    let threw = false;
    try { (() => { 'use strict'; configuration.N = 'changed'; })(); } catch (e) { threw = true; }
    out = { iss: configuration.TOKEN_ISSUER, n: configuration.N, threw, missing: configuration.NOPE };
  )",
                  input);
  EXPECT_EQ(out["iss"], "https://issuer.example");
  EXPECT_EQ(out["n"], "3");
  EXPECT_EQ(out["threw"], true);
  EXPECT_FALSE(out.contains("missing"));
  // The next execution sees its own settings only.
  EXPECT_EQ(Eval("out = Object.keys(configuration).length;"), 0);
}

TEST(Globals, GlobalPersistsOnAWorkerAndIsIsolatedBetweenTenants) {
  // Single-threaded engine so every execution lands on the same worker.
  EngineOptions options = testing::TestOptions();
  options.threads = 1;
  auto engine = CreateSpiderMonkeyEngine(options);
  ASSERT_TRUE(engine.ok());
  std::string counter = R"(function (u, c, cb) {
    global.count = (global.count || 0) + 1;
    globalThis.leak = 'x';
    u.count = global.count;
    cb(null, u, c);
  })";
  for (int i = 1; i <= 3; ++i) {
    auto o = RunScripts(**engine, {counter}, DefaultInput("tenant-a"));
    EXPECT_EQ(o.user["count"], i) << Describe(o);
  }
  auto other = RunScripts(**engine,
                          {"function (u, c, cb) { u.count = global.count; u.leak = "
                           "typeof leak; cb(null, u, c); }"},
                          DefaultInput("tenant-b"));
  EXPECT_FALSE(other.user.contains("count")) << other.user.dump();
  EXPECT_EQ(other.user["leak"], "undefined");
  auto back = RunScripts(**engine, {counter}, DefaultInput("tenant-a"));
  EXPECT_EQ(back.user["count"], 4);
}

class Recording : public HostCallbacks {
 public:
  void UpdateUserMetadata(const std::string& id, const nlohmann::json& patch,
                          std::function<void(Status)> done) override {
    calls.push_back("user:" + id + ":" + patch.dump());
    // Completes later, from another thread, as a storage write would.
    std::thread([done = std::move(done)] { done(Status::Ok()); }).detach();
  }
  void UpdateAppMetadata(const std::string& id, const nlohmann::json& patch,
                         std::function<void(Status)> done) override {
    calls.push_back("app:" + id + ":" + patch.dump());
    done(Unavailable("database is busy"));
  }
  std::vector<std::string> calls;
};

TEST(Globals, Auth0UsersUpdatesGoThroughTheHostAsPromises) {
  Recording host;
  auto o = RunScripts(SharedEngine(), {R"(async function (user, context, callback) {
    user.user_metadata.theme = 'dark';
    await auth0.users.updateUserMetadata(user.user_id, user.user_metadata);
    try {
      await auth0.users.updateAppMetadata(user.user_id, { plan: 'pro' });
    } catch (e) {
      user.appError = e.message;
    }
    user.a0 = [auth0.domain, auth0.baseUrl, auth0.accessToken];
    callback(null, user, context);
  })"},
                      DefaultInput(), &host);
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  ASSERT_EQ(host.calls.size(), 2u);
  EXPECT_EQ(host.calls[0], R"(user:auth0|u1:{"theme":"dark"})");
  EXPECT_EQ(host.calls[1], R"(app:auth0|u1:{"plan":"pro"})");
  EXPECT_EQ(o.user["appError"], "database is busy");
  EXPECT_EQ(o.user["a0"],
            nlohmann::json({"login.example.com", "https://login.example.com", "mgmt-token"}));
}

TEST(Globals, Auth0PromiseStyleWithThen) {
  Recording host;
  auto o = RunScripts(SharedEngine(), {R"(function (user, context, callback) {
    auth0.users.updateUserMetadata(user.user_id, { a: 1 })
      .then(() => callback(null, user, context))
      .catch((err) => callback(err));
  })"},
                      DefaultInput(), &host);
  EXPECT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(host.calls.size(), 1u);
}

TEST(Globals, ConsoleIsCapturedPerExecutionWithRuleNames) {
  auto o = RunScripts(SharedEngine(),
                      {"function (u, c, cb) { console.log('hello', {a: 1}, 2); "
                       "console.warn('careful %s=%d', 'n', 5); cb(null, u, c); }",
                       "function (u, c, cb) { console.error(new Error('bad')); console.info(); "
                       "cb(null, u, c); }"},
                      DefaultInput());
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  ASSERT_EQ(o.console.size(), 4u);
  EXPECT_EQ(o.console[0].level, "log");
  EXPECT_EQ(o.console[0].rule, "rule 1");
  EXPECT_EQ(o.console[0].text, R"(hello {"a":1} 2)");
  EXPECT_EQ(o.console[1].level, "warn");
  EXPECT_EQ(o.console[1].text, "careful n=5");
  EXPECT_EQ(o.console[2].rule, "rule 2");
  EXPECT_NE(o.console[2].text.find("Error: bad"), std::string::npos);
  auto next = RunScript("function (u, c, cb) { cb(null, u, c); }");
  EXPECT_TRUE(next.console.empty());
}

TEST(Globals, SetTimeoutAndClearTimeout) {
  auto out = Eval(R"(
    const order = [];
    const t = setTimeout(() => order.push('cleared'), 1);
    clearTimeout(t);
    await new Promise((resolve) => {
      setTimeout(() => order.push('b'), 20);
      setTimeout((x) => order.push(x), 5, 'a');
      setTimeout(resolve, 30);
    });
    out = order;
  )");
  EXPECT_EQ(out, nlohmann::json({"a", "b"}));
}

TEST(Globals, UrlAndSearchParams) {
  auto out = Eval(R"(
    const u = new URL('https://Site.Example:443/a/../update?x=1#frag');
    u.searchParams.set('token', 'a b&c');
    u.searchParams.append('x', '2');
    const rel = new URL('../other?q=1', 'https://h.example/p/q/r');
    const sp = new URLSearchParams({ a: '1', b: 'two words' });
    let bad = false;
    try { new URL('not a url'); } catch (e) { bad = e instanceof TypeError; }
    out = [u.toString(), u.hostname, u.origin, u.pathname, u.searchParams.get('x'),
           u.searchParams.getAll('x'), rel.href, sp.toString(), bad,
           new URL('http://127.0.0.1:8080/cb').host];
  )");
  EXPECT_EQ(out[0], "https://site.example/update?x=1&token=a+b%26c&x=2#frag");
  EXPECT_EQ(out[1], "site.example");
  EXPECT_EQ(out[2], "https://site.example");
  EXPECT_EQ(out[3], "/update");
  EXPECT_EQ(out[4], "1");
  EXPECT_EQ(out[5], nlohmann::json({"1", "2"}));
  EXPECT_EQ(out[6], "https://h.example/p/other?q=1");
  EXPECT_EQ(out[7], "a=1&b=two+words");
  EXPECT_EQ(out[8], true);
  EXPECT_EQ(out[9], "127.0.0.1:8080");
}

TEST(Globals, BufferSubset) {
  auto out = Eval(R"(
    const b = Buffer.from('héllo', 'utf8');
    out = [b.length, b.toString('base64'), b.toString('hex'),
           Buffer.from('aGVsbG8=', 'base64').toString(), Buffer.from('68656c6c6f', 'hex').toString('utf8'),
           Buffer.byteLength('héllo'), Buffer.from('-_8', 'base64').toString('hex'),
           Buffer.isBuffer(b), Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString()];
  )");
  EXPECT_EQ(out, nlohmann::json(
                     {6, "aMOpbGxv", "68c3a96c6c6f", "hello", "hello", 6, "fbff", true, "ab"}));
}

TEST(Globals, CryptoUuidQuerystringAndPreloadedNames) {
  auto out = Eval(R"(
    const c = require('crypto');
    const qs = require('querystring');
    out = [
      c.createHash('sha256').update('abc').digest('hex'),
      c.createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('base64'),
      c.randomBytes(16).length,
      /^[0-9a-f-]{36}$/.test(c.randomUUID()),
      require('uuid').validate(require('uuid').v4()),
      c.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')),
      qs.stringify({ a: 'x y', b: ['1', '2'] }),
      qs.parse('a=1&b=2&b=3&c=%20'),
      jwt === require('jsonwebtoken'), crypto === c, uuid === require('uuid'),
      typeof _.map, typeof process, typeof fetch
    ];
  )");
  EXPECT_EQ(out[0], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(out[1], "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
  EXPECT_EQ(out[2], 16);
  EXPECT_EQ(out[3], true);
  EXPECT_EQ(out[4], true);
  EXPECT_EQ(out[5], true);
  EXPECT_EQ(out[6], "a=x%20y&b=1&b=2");
  EXPECT_EQ(out[7], nlohmann::json({{"a", "1"}, {"b", {"2", "3"}}, {"c", " "}}));
  EXPECT_EQ(out[8], true);
  EXPECT_EQ(out[9], true);
  EXPECT_EQ(out[10], true);
  EXPECT_EQ(out[11], "function");
  EXPECT_EQ(out[12], "undefined");
  EXPECT_EQ(out[13], "function");  // SPEC §4.3: fetch for rules that call external APIs
}

TEST(Globals, RequireAcceptsVersionsAndRefusesTheRest) {
  auto out = Eval(R"(
    const tries = ['fs', 'child_process', './lodash', '/etc/passwd', '../package.json', 'nonexistent'];
    out = [require('jsonwebtoken@8.5.1') === jwt, require('lodash@4.17.21') === require('lodash'),
           require('node:crypto') === crypto];
    for (const name of tries) {
      try { require(name); out.push('loaded ' + name); } catch (e) { out.push(e.message); }
    }
  )");
  EXPECT_EQ(out[0], true);
  EXPECT_EQ(out[1], true);
  EXPECT_EQ(out[2], true);
  EXPECT_EQ(out[3], "Cannot find module 'fs'");
  EXPECT_EQ(out[4], "Cannot find module 'child_process'");
  EXPECT_EQ(out[5], "Cannot find module './lodash'");
  EXPECT_EQ(out[6], "Cannot find module '/etc/passwd'");
  EXPECT_EQ(out[7], "Cannot find module '../package.json'");
  EXPECT_EQ(out[8], "Cannot find module 'nonexistent'");
}

TEST(Globals, ConcurrentExecutionsOnBothWorkersKeepTheirOwnState) {
  std::atomic<int> mismatches{0};
  auto run = [&](int id) {
    for (int i = 0; i < 20; ++i) {
      auto input = DefaultInput("t" + std::to_string(id % 2));
      input.configuration = {{"ID", std::to_string(id)}};
      input.user["n"] = i;
      auto o = RunScript(R"(function (u, c, cb) {
        setTimeout(() => { u.id = configuration.ID; console.log('n', u.n); cb(null, u, c); }, 0);
      })",
                         input);
      if (o.user.value("id", "") != std::to_string(id) || o.user.value("n", -1) != i ||
          o.console.size() != 1 || o.console[0].text != "n " + std::to_string(i)) {
        ++mismatches;
      }
    }
  };
  std::thread a(run, 1), b(run, 2), c(run, 3);
  a.join();
  b.join();
  c.join();
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace gatehouse::rules

namespace gatehouse::rules {
namespace {

// The server's default: no JS context until a worker's first task. Both
// workers start theirs on demand, concurrently, and run rules as usual.
TEST(LazyContexts, EachWorkerCreatesItsContextOnItsFirstTask) {
  EngineOptions options = testing::TestOptions();
  options.eager_contexts = false;
  auto engine = CreateSpiderMonkeyEngine(options);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto o = testing::RunScripts(**engine,
                                   {"function (u, c, cb) { u.n = [1, 2].length; cb(null, u, c); }"},
                                   testing::DefaultInput());
      if (o.kind == OutcomeKind::kContinue && o.user["n"] == 2) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);
  Rule rule{.id = "r", .name = "compiles", .script = "function (u, c, cb) { cb(null, u, c); }"};
  EXPECT_TRUE((*engine)->Compile(rule).ok());
}

}  // namespace
}  // namespace gatehouse::rules
