// The built-ins a rule changes are put back before the next execution on the
// same worker (intrinsics_guard.h): another login, another user, never sees them.
#include <gtest/gtest.h>

#include "rules/engine_fixture.h"
#include "rules/spidermonkey/spidermonkey_engine.h"

namespace gatehouse::rules {
namespace {

using testing::DefaultInput;
using testing::Describe;
using testing::RunScripts;

// One worker, so every execution shares one realm.
std::unique_ptr<Engine> OneWorker() {
  EngineOptions options = testing::TestOptions();
  options.threads = 1;
  auto engine = CreateSpiderMonkeyEngine(options);
  EXPECT_TRUE(engine.ok());
  return engine.ok() ? std::move(*engine) : nullptr;
}

// Reports, as user.seen, what an execution finds of the earlier one's changes.
constexpr const char* kInspect = R"(function (u, c, cb) {
  u.seen = {
    added: ({}).polluted === undefined && !('polluted' in Object.prototype),
    symbolAdded: Array.prototype[Symbol.for('pwn')] === undefined,
    parse: JSON.parse('{"a":1}').a === 1,
    map: typeof Array.prototype.map === 'function' && [1, 2].map((x) => x * 2)[1] === 4,
    trim: '  x '.trim() === 'x' && typeof Object.getOwnPropertyDescriptor(String.prototype, 'trim').value === 'function',
    iterator: [...[1, 2]].length === 2,
    mathProto: Object.getPrototypeOf(Math) === Object.prototype,
    hiddenProto: Object.getPrototypeOf(async function () {}).constructor.name === 'AsyncFunction',
    globalJson: typeof JSON === 'object' && JSON !== 1,
    consoleLog: String(console.log).indexOf('stolen') < 0,
    addedGlobal: typeof leftBehind === 'undefined',
  };
  cb(null, u, c);
})";

constexpr const char* kPollute = R"(function (u, c, cb) {
  Object.prototype.polluted = u.email;
  Array.prototype[Symbol.for('pwn')] = true;
  JSON.parse = function () { return { hijacked: true }; };
  delete Array.prototype.map;
  Object.defineProperty(String.prototype, 'trim', { get() { return () => 'stolen'; }, configurable: true });
  Array.prototype[Symbol.iterator] = function* () {};
  Object.setPrototypeOf(Math, null);
  Object.getPrototypeOf(async function () {}).constructor = null;
  console.log = function stolen() {};
  globalThis.leftBehind = u.email;  // `global` is the place for what should stay
  cb(null, u, c);
})";

TEST(IntrinsicsGuard, EveryKindOfChangeIsUndoneBeforeTheNextExecution) {
  auto engine = OneWorker();
  ASSERT_NE(engine, nullptr);
  auto before = RunScripts(*engine, {kInspect}, DefaultInput());
  ASSERT_EQ(before.kind, OutcomeKind::kContinue) << Describe(before);
  for (const auto& [name, clean] : before.user["seen"].items()) {
    EXPECT_TRUE(clean.get<bool>()) << "before: " << name;
  }
  auto polluted = RunScripts(*engine, {kPollute}, DefaultInput());
  ASSERT_EQ(polluted.kind, OutcomeKind::kContinue) << Describe(polluted);
  auto after = RunScripts(*engine, {kInspect}, DefaultInput());
  ASSERT_EQ(after.kind, OutcomeKind::kContinue) << Describe(after);
  for (const auto& [name, clean] : after.user["seen"].items()) {
    EXPECT_TRUE(clean.get<bool>()) << "after: " << name;
  }
}

// A rule that makes a change impossible to undo (a non-configurable property on
// a shared prototype) gets the realm replaced: the next login runs clean.
TEST(IntrinsicsGuard, AnUnrestorableRealmIsReplaced) {
  auto engine = OneWorker();
  ASSERT_NE(engine, nullptr);
  auto poison = RunScripts(*engine, {R"(function (u, c, cb) {
    Object.defineProperty(Object.prototype, 'stuck', { value: u.email, configurable: false });
    Object.preventExtensions(Array.prototype);
    global.cached = 'lost with the realm';
    cb(null, u, c);
  })"},
                           DefaultInput());
  ASSERT_EQ(poison.kind, OutcomeKind::kContinue) << Describe(poison);
  auto next = RunScripts(*engine, {R"(function (u, c, cb) {
    u.stuck = ({}).stuck === undefined;
    u.extensible = Object.isExtensible(Array.prototype);
    u.cached = typeof global.cached;
    cb(null, u, c);
  })"},
                         DefaultInput());
  ASSERT_EQ(next.kind, OutcomeKind::kContinue) << Describe(next);
  EXPECT_EQ(next.user["stuck"], true);
  EXPECT_EQ(next.user["extensible"], true);
  EXPECT_EQ(next.user["cached"], "undefined");
}

}  // namespace
}  // namespace gatehouse::rules
