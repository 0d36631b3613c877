// SPEC §4.3: lodash and moment are the real npm packages (package-lock.json),
// loaded unchanged by the CommonJS loader.
#include <gtest/gtest.h>

#include "rules/engine_fixture.h"

namespace gatehouse::rules {
namespace {

using testing::Describe;
using testing::RunScript;

TEST(NpmModules, LodashFromNodeModules) {
  auto o = RunScript(R"(function (user, context, callback) {
    const _ = require('lodash');
    user.out = {
      version: _.VERSION,
      picked: _.pick({ a: 1, b: 2, c: 3 }, ['a', 'c']),
      merged: _.merge({ a: { b: 1 } }, { a: { c: 2 } }),
      groups: _.groupBy(['one', 'two', 'three'], 'length'),
      preloaded: _ === globalThis._,
      fp: typeof require('lodash/fp').map,
    };
    callback(null, user, context);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["out"]["version"], "4.18.1");
  EXPECT_EQ(o.user["out"]["picked"], nlohmann::json({{"a", 1}, {"c", 3}}));
  EXPECT_EQ(o.user["out"]["merged"], nlohmann::json({{"a", {{"b", 1}, {"c", 2}}}}));
  EXPECT_EQ(o.user["out"]["groups"], nlohmann::json({{"3", {"one", "two"}}, {"5", {"three"}}}));
  EXPECT_EQ(o.user["out"]["preloaded"], true);
  EXPECT_EQ(o.user["out"]["fp"], "function");
}

TEST(NpmModules, MomentFromNodeModules) {
  auto o = RunScript(R"(async function (user, context, callback) {
    const moment = require('moment@2.29.1');
    const t = moment.utc('2024-02-28T10:00:00Z');
    user.out = {
      version: moment.version,
      plus: t.clone().add(2, 'days').format('YYYY-MM-DD'),
      diff: moment.utc('2024-03-01').diff(moment.utc('2024-02-01'), 'days'),
      valid: moment('not a date', 'YYYY-MM-DD', true).isValid(),
      age: moment.utc('2024-06-01').diff(moment.utc('1990-06-02'), 'years'),
    };
    callback(null, user, context);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["out"]["version"], "2.31.0");
  EXPECT_EQ(o.user["out"]["plus"], "2024-03-01");
  EXPECT_EQ(o.user["out"]["diff"], 29);
  EXPECT_EQ(o.user["out"]["valid"], false);
  EXPECT_EQ(o.user["out"]["age"], 33);
}

TEST(NpmModules, ModulesAreCachedPerGlobal) {
  auto first =
      RunScript("function (u, c, cb) { require('lodash').__marker = 42; cb(null, u, c); }");
  ASSERT_EQ(first.kind, OutcomeKind::kContinue) << Describe(first);
  // Every worker that loaded lodash for this tenant keeps one instance; a
  // fresh worker may not have it yet, so run enough times to hit both.
  for (int i = 0; i < 4; ++i) {
    auto o = RunScript(
        "function (u, c, cb) { const l = require('lodash'); l.__marker = 42; u.same = l === "
        "require('lodash'); cb(null, u, c); }");
    EXPECT_EQ(o.user["same"], true);
  }
}

TEST(NpmModules, EngineWithoutNodeModulesOffersOnlyBuiltins) {
  EngineOptions options = testing::TestOptions();
  options.threads = 1;
  options.node_modules_dir = "";
  auto engine = CreateSpiderMonkeyEngine(options);
  ASSERT_TRUE(engine.ok());
  auto o = testing::RunScripts(**engine, {R"(function (u, c, cb) {
    try { require('lodash'); } catch (e) { u.err = e.message; }
    u.jwt = typeof require('jsonwebtoken').sign;
    cb(null, u, c);
  })"},
                               testing::DefaultInput());
  EXPECT_EQ(o.user["err"], "Cannot find module 'lodash'");
  EXPECT_EQ(o.user["jwt"], "function");
}

}  // namespace
}  // namespace gatehouse::rules
