// SPEC §4.2 limits: time, heap, typed arrays, recursion. Each runaway stops
// only its own login, other logins keep running, and the worker stays usable.
#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "rules/engine_fixture.h"

namespace gatehouse::rules {
namespace {

using testing::DefaultInput;
using testing::Describe;
using testing::RunScripts;

constexpr char kTrivial[] = "function (u, c, cb) { u.ok = true; cb(null, u, c); }";

class Limits : public ::testing::Test {
 protected:
  static Engine& engine() {
    static std::unique_ptr<Engine> engine = [] {
      EngineOptions options = testing::TestOptions();
      options.pipeline_timeout = std::chrono::milliseconds(400);
      options.heap_cap_bytes = 32u << 20;
      options.array_buffer_cap_bytes = 16u << 20;
      auto created = CreateSpiderMonkeyEngine(options);
      EXPECT_TRUE(created.ok()) << created.status().ToString();
      return std::move(created).value();
    }();
    return *engine;
  }

  Outcome Run(const std::string& script, const std::string& tenant = "t1") {
    return RunScripts(engine(), {script}, DefaultInput(tenant));
  }

  // Runs the statements `runaway` on one worker while the other keeps serving
  // logins, and returns its outcome. The rule first waits on a host call the
  // test holds, so logins provably complete while it occupies its worker; then
  // logins keep running until it was stopped, and work again afterwards on
  // both workers (including the one that ran it).
  Outcome RunWhileOthersLogIn(const std::string& runaway) {
    GateHost gate;
    std::promise<Outcome> promise;
    auto future = promise.get_future();
    std::atomic<bool> finished{false};
    engine().Run({testing::MakeRule("async function (u, c, cb) { await "
                                    "auth0.users.updateUserMetadata(u.user_id, {});\n" +
                                        runaway + "\n}",
                                    "runaway")},
                 DefaultInput("runaway-tenant"), gate, [&](Outcome o) {
                   finished = true;
                   promise.set_value(std::move(o));
                 });
    gate.entered.get_future().wait();
    Outcome during = Run(kTrivial);
    EXPECT_EQ(during.kind, OutcomeKind::kContinue) << Describe(during);
    EXPECT_FALSE(finished);
    gate.Release();
    while (!finished) {
      Outcome o = Run(kTrivial);
      EXPECT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
    }
    Outcome runaway_outcome = future.get();
    for (int i = 0; i < 4; ++i) {
      Outcome after = RunScripts(engine(), {kTrivial}, DefaultInput("runaway-tenant"));
      EXPECT_EQ(after.kind, OutcomeKind::kContinue) << Describe(after);
    }
    return runaway_outcome;
  }

  // Holds the first metadata update until Release().
  class GateHost : public HostCallbacks {
   public:
    void UpdateUserMetadata(const std::string&, const nlohmann::json&,
                            std::function<void(Status)> done) override {
      done_ = std::move(done);
      entered.set_value();
    }
    void UpdateAppMetadata(const std::string&, const nlohmann::json&,
                           std::function<void(Status)> done) override {
      done(Status::Ok());
    }
    void Release() { done_(Status::Ok()); }
    std::promise<void> entered;

   private:
    std::function<void(Status)> done_;
  };
};

TEST_F(Limits, InfiniteLoopIsStoppedAtTheTimeLimit) {
  Outcome o = RunWhileOthersLogIn("while (true) {}");
  EXPECT_EQ(o.kind, OutcomeKind::kError);
  EXPECT_EQ(o.error_code, "server_error");
  EXPECT_EQ(o.error_description, "A rule failed to run.");
  EXPECT_NE(o.debug.find("time limit"), std::string::npos) << o.debug;
  EXPECT_EQ(o.failed_rule, "runaway");
}

TEST_F(Limits, InfiniteLoopInsideTryFinallyAndPromiseJobIsStopped) {
  Outcome o = Run(R"(async function (u, c, cb) {
    await null;
    try { for (;;) { try { while (true) {} } catch (e) {} } } finally { cb(null, u, c); }
  })");
  EXPECT_EQ(o.error_code, "server_error") << Describe(o);
  EXPECT_NE(o.debug.find("time limit"), std::string::npos) << o.debug;
  EXPECT_EQ(Run(kTrivial).kind, OutcomeKind::kContinue);
}

TEST_F(Limits, CallbackNeverCalledWithWorkPendingFailsAtTheTimeLimit) {
  Outcome o = Run("function (u, c, cb) { setTimeout(() => {}, 60000); }");
  EXPECT_EQ(o.error_code, "server_error") << Describe(o);
  EXPECT_NE(o.debug.find("time limit"), std::string::npos) << o.debug;
}

TEST_F(Limits, TimeLimitCoversTheWholePipeline) {
  // Each rule waits 150 ms: three of them exceed the 400 ms pipeline limit.
  std::string slow = "function (u, c, cb) { setTimeout(() => cb(null, u, c), 150); }";
  Outcome o = RunScripts(engine(), {slow, slow, slow, slow}, DefaultInput());
  EXPECT_EQ(o.error_code, "server_error") << Describe(o);
  EXPECT_NE(o.debug.find("time limit"), std::string::npos) << o.debug;
  EXPECT_LT(o.timings.size(), 4u);
}

TEST_F(Limits, MemoryBombWithPlainObjectsIsStopped) {
  Outcome o = RunWhileOthersLogIn(R"(
    const hog = [];
    while (true) hog.push({ n: hog.length, s: 'x' + hog.length, a: [1, 2, 3] });
  )");
  EXPECT_EQ(o.kind, OutcomeKind::kError);
  EXPECT_EQ(o.error_code, "server_error");
  EXPECT_NE(o.debug.find("memory"), std::string::npos) << o.debug;
}

TEST_F(Limits, MemoryBombThatCatchesOutOfMemoryAndKeepsItInGlobalIsStopped) {
  Outcome o = Run(R"(function (u, c, cb) {
    global.hog = [];
    for (;;) { try { while (true) global.hog.push({ n: global.hog.length }); } catch (e) {} }
  })",
                  "hog-tenant");
  EXPECT_EQ(o.error_code, "server_error") << Describe(o);
  EXPECT_NE(o.debug.find("memory"), std::string::npos) << o.debug;
  // The tenant's global was reset, so the next login has room again.
  o = Run("function (u, c, cb) { u.hog = typeof global.hog; cb(null, u, c); }", "hog-tenant");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["hog"], "undefined");
}

TEST_F(Limits, MemoryBombWithTypedArraysIsStopped) {
  Outcome o = RunWhileOthersLogIn(R"(
    const hog = [];
    while (true) hog.push(new Float64Array(1 << 17));
  )");
  EXPECT_EQ(o.kind, OutcomeKind::kError);
  EXPECT_NE(o.debug.find("memory"), std::string::npos) << o.debug;
}

TEST_F(Limits, TypedArrayAllocationPathsAreAllCounted) {
  for (const char* bomb : {
           "new ArrayBuffer(2 ** 31)",
           "new Uint8Array(2 ** 30)",
           "Uint8Array.from({ length: 2 ** 26 })",
           "new (class extends Uint8Array {})(2 ** 30)",
           "new (new Uint8Array(1).constructor)(2 ** 30)",
           "new Uint8Array(2 ** 24).map((x) => x).slice().map((x) => x)",
           "Buffer.alloc(2 ** 30)",
       }) {
    Outcome o = Run(std::string("function (u, c, cb) { const keep = []; for (;;) keep.push(") +
                    bomb + "); }");
    EXPECT_EQ(o.error_code, "server_error") << bomb << ": " << Describe(o);
    EXPECT_NE(o.debug.find("memory"), std::string::npos) << bomb << ": " << o.debug;
  }
  EXPECT_EQ(Run("function (u, c, cb) { u.t = typeof SharedArrayBuffer + typeof WebAssembly; "
                "cb(null, u, c); }")
                .user["t"],
            "undefinedundefined");
}

TEST_F(Limits, SmallTypedArraysStillWork) {
  Outcome o = Run(R"(function (u, c, cb) {
    let total = 0;
    for (let i = 0; i < 100; i++) total += new Uint8Array(1024).length;
    u.total = total;
    cb(null, u, c);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.user["total"], 102400);
}

TEST_F(Limits, DeepRecursionIsStopped) {
  Outcome o = RunWhileOthersLogIn("const f = (n) => f(n + 1) + 1; f(0);");
  EXPECT_EQ(o.kind, OutcomeKind::kError);
  EXPECT_EQ(o.error_code, "server_error");
  EXPECT_NE(o.debug.find("too much recursion"), std::string::npos) << o.debug;
}

TEST_F(Limits, RecursionThatSwallowsItsErrorsEndsAtTheTimeLimit) {
  Outcome o = Run(R"(function (u, c, cb) {
    const f = () => { try { f(); } catch (e) { f(); } };
    f();
  })");
  EXPECT_EQ(o.error_code, "server_error") << Describe(o);
}

}  // namespace
}  // namespace gatehouse::rules
