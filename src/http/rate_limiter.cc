#include "http/rate_limiter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gatehouse::http {
namespace {

class TokenBucketLimiter final : public RateLimiter {
 public:
  TokenBucketLimiter(Options options, Clock& clock) : options_(options), clock_(clock) {
    options_.burst = std::max(1, options_.burst);
    options_.max_keys = std::max<size_t>(1, options_.max_keys);
  }

  Decision Take(std::string_view key) override {
    if (options_.per_minute <= 0) return {};
    const double rate = options_.per_minute / 60.0;  // tokens per second
    const double capacity = options_.burst;
    const double now = NowSeconds();
    std::lock_guard lock(mu_);
    auto it = buckets_.find(std::string(key));
    if (it == buckets_.end()) {
      if (buckets_.size() >= options_.max_keys) Evict(now, rate, capacity);
      it = buckets_.emplace(std::string(key), Bucket{capacity, now}).first;
    }
    Bucket& b = it->second;
    b.tokens = std::min(capacity, b.tokens + (now - b.updated) * rate);
    b.updated = now;
    if (b.tokens >= 1.0) {
      b.tokens -= 1.0;
      return {};
    }
    double wait = (1.0 - b.tokens) / rate;
    return {false, std::max(1, static_cast<int>(std::ceil(wait)))};
  }

  size_t size() const override {
    std::lock_guard lock(mu_);
    return buckets_.size();
  }

 private:
  struct Bucket {
    double tokens;
    double updated;  // seconds
  };

  double NowSeconds() const {
    auto since = clock_.Now().time_since_epoch();
    return std::chrono::duration<double>(since).count();
  }

  void Evict(double now, double rate, double capacity) {
    std::erase_if(buckets_, [&](const auto& kv) {
      return kv.second.tokens + (now - kv.second.updated) * rate >= capacity;
    });
    if (buckets_.size() >= options_.max_keys) buckets_.clear();
  }

  Options options_;
  Clock& clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace

std::unique_ptr<RateLimiter> RateLimiter::Create(Options options, Clock& clock) {
  return std::make_unique<TokenBucketLimiter>(options, clock);
}

}  // namespace gatehouse::http
