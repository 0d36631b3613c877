// Warm execution time of rules (issue 4 targets on this machine: trivial rule
// under 20 µs median, HS256-signing rule under 60 µs). Run with
//   rules_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// Times are wall-clock per login as the host sees it (queue hand-off to a
// worker thread included).
#include <benchmark/benchmark.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "rules/engine.h"
#include "rules/spidermonkey/spidermonkey_engine.h"

namespace gatehouse::rules {
namespace {

constexpr char kTrivial[] = "function (user, context, callback) { callback(null, user, context); }";

constexpr char kSignHs256[] = R"(function (user, context, callback) {
  const jwt = require('jsonwebtoken');
  const token = jwt.sign({ [configuration.TOKEN_ISSUER + '/claims/required_fields']: ['given_name'] },
      configuration.TOKEN_SECRET,
      { subject: user.user_id, issuer: configuration.TOKEN_ISSUER, audience: configuration.TOKEN_AUDIENCE,
        expiresIn: '5 minutes' });
  context.redirect = { url: configuration.UPDATE_PROFILE_WEBSITE_URL + '?token=' + token };
  callback(null, user, context);
})";

// Five typical rules: email check, roles claim, lodash, moment, progressive profiling.
const char* kPipeline[] = {
    R"(function emailVerified(user, context, callback) {
      if (!user.email_verified) return callback(new UnauthorizedError('Please verify your email.'));
      callback(null, user, context);
    })",
    R"(function addRoles(user, context, callback) {
      const roles = (user.app_metadata && user.app_metadata.roles) || ['user'];
      context.idToken['https://example.com/roles'] = roles;
      context.accessToken['https://example.com/roles'] = roles;
      callback(null, user, context);
    })",
    R"(function lodashRule(user, context, callback) {
      const _ = require('lodash');
      user.user_metadata = _.defaults({}, user.user_metadata, { theme: 'light' });
      callback(null, user, context);
    })",
    R"(async function momentRule(user, context, callback) {
      const moment = require('moment');
      context.idToken['https://example.com/member_since'] = moment.utc(user.created_at).format('YYYY-MM-DD');
      callback(null, user, context);
    })", kSignHs256,
};

ExecutionInput Input() {
  ExecutionInput input;
  input.tenant = "bench";
  input.user = {{"user_id", "auth0|5f7c8ec7c33c6c004bbafe82"},
                {"email", "ada@example.com"},
                {"email_verified", true},
                {"created_at", "2021-03-04T05:06:07.000Z"},
                {"user_metadata", nlohmann::json::object()},
                {"app_metadata", {{"roles", {"admin"}}}}};
  input.context = {{"clientID", "abc"}, {"stats", {{"loginsCount", 3}}}};
  input.configuration = {{"TOKEN_ISSUER", "https://login.example.com"},
                         {"TOKEN_AUDIENCE", "https://profile.example.com"},
                         {"TOKEN_SECRET", "a-long-enough-secret-for-hs256-000"},
                         {"UPDATE_PROFILE_WEBSITE_URL", "https://profile.example.com/update"}};
  return input;
}

Engine& SharedEngine(int threads) {
  static std::unique_ptr<Engine> engines[3];
  if (!engines[threads]) {
    EngineOptions options;
    options.threads = threads;
    options.node_modules_dir = GH_NODE_MODULES_DIR;
    engines[threads] = std::move(CreateSpiderMonkeyEngine(options)).value();
  }
  return *engines[threads];
}

std::vector<Rule> Rules(std::initializer_list<const char*> scripts) {
  std::vector<Rule> rules;
  int order = 0;
  for (const char* s : scripts) {
    rules.push_back({"r" + std::to_string(order), "rule " + std::to_string(order), s, order, true});
    ++order;
  }
  return rules;
}

// With `worker_time`, each iteration counts the time the worker spent on the
// execution (Outcome::elapsed); without it, the caller's wall-clock time,
// including the hand-off to the worker thread and back.
void RunWarm(benchmark::State& state, const std::vector<Rule>& rules, bool worker_time) {
  Engine& engine = SharedEngine(1);
  RecordingHostCallbacks host;
  ExecutionInput input = Input();
  for (int i = 0; i < 20; ++i) engine.RunSync(rules, input, host);  // warm: compile, load modules
  for (auto _ : state) {
    Outcome o = engine.RunSync(rules, input, host);
    if (o.kind == OutcomeKind::kError || o.kind == OutcomeKind::kDeny) {
      state.SkipWithError(o.debug.c_str());
      break;
    }
    if (worker_time) state.SetIterationTime(static_cast<double>(o.elapsed.count()) / 1e6);
  }
}

void BM_TrivialRule(benchmark::State& state) { RunWarm(state, Rules({kTrivial}), state.range(0)); }
void BM_JwtSigningRule(benchmark::State& state) {
  RunWarm(state, Rules({kSignHs256}), state.range(0));
}
void BM_PipelineOfFive(benchmark::State& state) {
  RunWarm(state, Rules({kPipeline[0], kPipeline[1], kPipeline[2], kPipeline[3], kPipeline[4]}),
          state.range(0));
}

// Logins per second with two workers: keeps `inflight` executions queued.
void BM_ThroughputTwoThreads(benchmark::State& state) {
  Engine& engine = SharedEngine(2);
  auto rules = Rules({kSignHs256});
  ExecutionInput input = Input();
  RecordingHostCallbacks host;
  for (int i = 0; i < 40; ++i) engine.RunSync(rules, input, host);
  const int inflight = 8;
  std::mutex mu;
  std::condition_variable cv;
  int outstanding = 0;
  int64_t done = 0;
  for (auto _ : state) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return outstanding < inflight; });
    ++outstanding;
    lock.unlock();
    engine.Run(rules, input, host, [&](Outcome) {
      std::lock_guard l(mu);
      --outstanding;
      ++done;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return outstanding == 0; });
  state.counters["logins_per_s"] =
      benchmark::Counter(static_cast<double>(done), benchmark::Counter::kIsRate);
}

// Arg 1: time on the worker (manual time); arg 0: caller's round trip.
BENCHMARK(BM_TrivialRule)->Unit(benchmark::kMicrosecond)->Arg(1)->UseManualTime();
BENCHMARK(BM_TrivialRule)->Unit(benchmark::kMicrosecond)->Arg(0);
BENCHMARK(BM_JwtSigningRule)->Unit(benchmark::kMicrosecond)->Arg(1)->UseManualTime();
BENCHMARK(BM_JwtSigningRule)->Unit(benchmark::kMicrosecond)->Arg(0);
BENCHMARK(BM_PipelineOfFive)->Unit(benchmark::kMicrosecond)->Arg(1)->UseManualTime();
BENCHMARK(BM_PipelineOfFive)->Unit(benchmark::kMicrosecond)->Arg(0);
BENCHMARK(BM_ThroughputTwoThreads)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace gatehouse::rules
