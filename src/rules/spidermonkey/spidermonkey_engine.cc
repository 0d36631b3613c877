#include "rules/spidermonkey/spidermonkey_engine.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "rules/module_resolver.h"
#include "rules/spidermonkey/js_runtime.h"
#include "rules/spidermonkey/worker.h"

namespace gatehouse::rules {
namespace {

using sm::Worker;

class SpiderMonkeyEngine final : public Engine {
 public:
  explicit SpiderMonkeyEngine(const EngineOptions& options)
      : options_(options), modules_(options.node_modules_dir) {}

  ~SpiderMonkeyEngine() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_.notify_all();
    for (auto& t : threads_) t.join();
    {
      std::lock_guard lock(watchdog_mu_);
      watchdog_stop_ = true;
    }
    watchdog_wake_.notify_all();
    if (watchdog_.joinable()) watchdog_.join();
  }

  Status Start() {
    // JS_Init now, on this thread, not with the first context: it registers
    // JS_ShutDown with atexit, which must run after an engine that lives in a
    // static is destroyed (atexit order is the reverse of registration).
    GH_RETURN_IF_ERROR(sm::EnsureJsInit());
    workers_.assign(options_.threads, nullptr);
    watchdog_ = std::thread([this] { WatchdogMain(); });
    std::vector<std::future<Status>> ready;
    for (int i = 0; i < options_.threads; ++i) {
      std::promise<Status> promise;
      ready.push_back(promise.get_future());
      threads_.emplace_back(
          [this, i, p = std::move(promise)]() mutable { WorkerMain(i, std::move(p)); });
    }
    Status status;
    for (auto& f : ready) {
      Status s = f.get();
      if (!s.ok() && status.ok()) status = s;
    }
    return status;
  }

  Status Compile(const Rule& rule) override {
    std::promise<Status> promise;
    auto future = promise.get_future();
    Post([&rule, &promise](Worker& w) { promise.set_value(w.Compile(rule)); });
    return future.get();
  }

  void Run(std::vector<Rule> rules, ExecutionInput input, HostCallbacks& host,
           std::function<void(Outcome)> done) override {
    Post([rules = std::move(rules), input = std::move(input), &host,
          done = std::move(done)](Worker& w) { done(w.Execute(rules, input, host)); });
  }

  void RunActions(std::vector<Action> actions, ActionsInput input, HostCallbacks& host,
                  std::function<void(ActionsOutcome)> done) override {
    Post([actions = std::move(actions), input = std::move(input), &host,
          done = std::move(done)](Worker& w) { done(w.ExecuteActions(actions, input, host)); });
  }

  int threads() const override { return options_.threads; }

 private:
  void Post(std::function<void(Worker&)> task) {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
    }
    work_.notify_one();
  }

  void WorkerMain(int index, std::promise<Status> ready) {
    Worker worker(options_, modules_, [this](Worker::SteadyTime deadline) {
      // Waking the watchdog costs a context switch per login: only when this
      // deadline comes before its planned wake-up.
      if (deadline.time_since_epoch().count() < watchdog_next_.load(std::memory_order_relaxed)) {
        std::lock_guard lock(watchdog_mu_);
        watchdog_wake_.notify_all();
      }
    });
    // The JS context is created by the worker's first task (Worker::Init),
    // or now when asked to.
    if (options_.eager_contexts) (void)worker.EnsureInit();
    {
      std::lock_guard lock(watchdog_mu_);
      workers_[index] = &worker;
    }
    ready.set_value(Status::Ok());
    for (;;) {
      std::function<void(Worker&)> task;
      {
        std::unique_lock lock(mu_);
        work_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) break;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task(worker);
    }
    std::lock_guard lock(watchdog_mu_);
    workers_[index] = nullptr;
  }

  // Stops executions past their deadline while they run JS; a worker waiting
  // for timers or host work notices its deadline itself.
  void WatchdogMain() {
    std::unique_lock lock(watchdog_mu_);
    while (!watchdog_stop_) {
      auto now = Worker::SteadyTime::clock::now();
      auto next = now + std::chrono::seconds(1);
      for (Worker* w : workers_) {
        Worker::SteadyTime deadline;
        uint64_t serial;
        if (!w || !w->Deadline(&deadline, &serial)) continue;
        if (deadline <= now) {
          w->Interrupt(serial, sm::StopReason::kTimeout);
        } else {
          next = std::min(next, deadline);
        }
      }
      watchdog_next_.store(next.time_since_epoch().count(), std::memory_order_relaxed);
      watchdog_wake_.wait_until(lock, next);
    }
  }

  const EngineOptions options_;
  ModuleResolver modules_;

  std::mutex mu_;
  std::condition_variable work_;
  std::deque<std::function<void(Worker&)>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;

  std::mutex watchdog_mu_;
  std::condition_variable watchdog_wake_;
  bool watchdog_stop_ = false;
  std::vector<Worker*> workers_;                   // guarded by watchdog_mu_
  std::atomic<int64_t> watchdog_next_{INT64_MAX};  // steady-clock ticks of the next planned wake-up
  std::thread watchdog_;
};

}  // namespace

Result<std::unique_ptr<Engine>> CreateSpiderMonkeyEngine(const EngineOptions& options) {
  if (options.threads < 1) return InvalidArgument("rules engine needs at least one thread");
  if (options.heap_cap_bytes < (8u << 20)) return InvalidArgument("rules heap cap under 8 MiB");
  auto engine = std::make_unique<SpiderMonkeyEngine>(options);
  GH_RETURN_IF_ERROR(engine->Start());
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace gatehouse::rules
