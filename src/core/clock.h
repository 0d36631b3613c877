#pragma once
// Time as a dependency: code that reads the time takes a Clock&, so tests move
// time forward instead of sleeping.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace gatehouse {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  // Wall-clock time. Thread-safe.
  virtual TimePoint Now() const = 0;
  // Seconds since the Unix epoch, as JWT "iat"/"exp" use them.
  int64_t NowSeconds() const;

  // The process-wide real clock (never destroyed).
  static Clock& System();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t unix_seconds = 1'700'000'000);
  TimePoint Now() const override;
  void Advance(std::chrono::milliseconds by);
  void SetSeconds(int64_t unix_seconds);

 private:
  std::atomic<int64_t> millis_;
};

}  // namespace gatehouse
