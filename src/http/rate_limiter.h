#pragma once
// Token buckets keyed by strings ("login-ip:203.0.113.7"), in memory. Each
// server node counts on its own: with N nodes behind a balancer a client gets
// up to N times the configured rate, which is the accepted trade-off for not
// touching the database on every request (the per-user brute-force counters in
// accounts/ are the shared, durable defence).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/clock.h"

namespace gatehouse::http {

class RateLimiter {
 public:
  struct Options {
    // Sustained rate; 0 disables the limiter (Take always allows).
    double per_minute = 0;
    // Bucket size: this many requests may arrive at once after a quiet period.
    int burst = 1;
    // Buckets kept; when full, buckets that have refilled completely are
    // dropped first (they carry no information), then the whole table is
    // cleared rather than growing without bound under a spray of keys.
    size_t max_keys = 100000;
  };

  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // when refused: whole seconds until one token is back (>= 1)
  };

  // `clock` must outlive the limiter.
  static std::unique_ptr<RateLimiter> Create(Options options, Clock& clock);
  virtual ~RateLimiter() = default;

  // Takes one token from `key`'s bucket. Thread-safe.
  virtual Decision Take(std::string_view key) = 0;
  // Keys currently tracked (for tests and metrics). Thread-safe.
  virtual size_t size() const = 0;
};

}  // namespace gatehouse::http
