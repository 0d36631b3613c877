#include "storage/log_ids.h"

#include <chrono>
#include <cstdio>

namespace gatehouse::storage {

LogIds::LogIds() : rng_(std::random_device{}()) {}

std::string LogIds::Next(int64_t date_ms) {
  uint32_t r;
  {
    std::lock_guard lock(rng_mu_);
    r = rng_() % 100000;
  }
  const uint32_t n = counter_.fetch_add(1) % 1000000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%015lld%06u%05u", static_cast<long long>(date_ms), n, r);
  return buf;
}

Status LogRepo::AppendBatch(std::vector<LogEvent> events) {
  Status first;
  for (auto& e : events) {
    auto appended = Append(std::move(e));
    if (!appended.ok() && first.ok()) first = appended.status();
  }
  return first;
}

Status PrepareLogEvent(LogEvent& e, Clock& clock) {
  if (e.type.empty()) return InvalidArgument("log event type is empty");
  if (e.date_ms == 0) {
    e.date_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
            .count();
  }
  if (e.details.empty()) e.details = "{}";
  return Status();
}

}  // namespace gatehouse::storage
