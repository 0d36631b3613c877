#include "core/clock.h"

namespace gatehouse {
namespace {
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};
}  // namespace

int64_t Clock::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
}

Clock& Clock::System() {
  static SystemClock* clock = new SystemClock();
  return *clock;
}

FakeClock::FakeClock(int64_t unix_seconds) : millis_(unix_seconds * 1000) {}

Clock::TimePoint FakeClock::Now() const {
  return TimePoint(std::chrono::milliseconds(millis_.load()));
}

void FakeClock::Advance(std::chrono::milliseconds by) { millis_ += by.count(); }

void FakeClock::SetSeconds(int64_t unix_seconds) { millis_ = unix_seconds * 1000; }

}  // namespace gatehouse
