#pragma once
// Log-event ids and defaults shared by every backend's LogRepo::Append: ids are
// time-ordered ("%015lld" milliseconds, a per-process counter and a random
// suffix), so sorting by id sorts by time, and two nodes writing in the same
// millisecond collide only with negligible probability (backends retry a
// collision with a fresh id).

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "storage/log_repo.h"

namespace gatehouse::storage {

class LogIds {
 public:
  LogIds();
  // A fresh id for an event at `date_ms`. Thread-safe.
  std::string Next(int64_t date_ms);

 private:
  std::atomic<uint32_t> counter_{0};
  std::mutex rng_mu_;
  std::mt19937 rng_;
};

// Checks an event before it is stored and fills what the caller may leave
// out: date (now, from `clock`) and details ("{}"). InvalidArgument when the
// type is empty. Does not assign the id (backends do, per attempt).
Status PrepareLogEvent(LogEvent& event, Clock& clock);

}  // namespace gatehouse::storage
