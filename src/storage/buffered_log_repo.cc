#include "storage/buffered_log_repo.h"

#include <string>

#include "core/logging.h"

namespace gatehouse::storage {

BufferedLogRepo::BufferedLogRepo(LogRepo& inner, Clock& clock, BufferedLogOptions options)
    : inner_(inner), clock_(clock), options_(options) {
  writer_ = std::thread([this] { WriterMain(); });
}

BufferedLogRepo::~BufferedLogRepo() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
  (void)Flush();
}

Result<LogEvent> BufferedLogRepo::Append(LogEvent event) {
  GH_RETURN_IF_ERROR(PrepareLogEvent(event, clock_));
  if (event.log_id.empty()) event.log_id = ids_.Next(event.date_ms);
  size_t queued;
  {
    std::lock_guard lock(mu_);
    queued = queue_.size();
    if (queued < options_.max_queued) {
      queue_.push_back(event);
      ++queued;
    } else {
      queued = 0;  // full: store this one ourselves
    }
  }
  if (queued == 0) return inner_.Append(std::move(event));
  if (queued >= options_.batch) wake_.notify_one();
  return event;
}

Status BufferedLogRepo::AppendBatch(std::vector<LogEvent> events) {
  for (auto& e : events) GH_RETURN_IF_ERROR(Append(std::move(e)).status());
  return Status::Ok();
}

Result<LogEvent> BufferedLogRepo::Get(const std::string& log_id) {
  (void)Flush();
  return inner_.Get(log_id);
}

Result<LogPage> BufferedLogRepo::Query(const LogQuery& query) {
  (void)Flush();
  return inner_.Query(query);
}

Result<int64_t> BufferedLogRepo::PurgeOlderThan(int64_t before_ms, int64_t max) {
  (void)Flush();
  return inner_.PurgeOlderThan(before_ms, max);
}

Status BufferedLogRepo::Flush() {
  std::lock_guard write(write_mu_);
  std::vector<LogEvent> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(queue_);
  }
  if (batch.empty()) return Status::Ok();
  const size_t n = batch.size();
  Status s = inner_.AppendBatch(std::move(batch));
  // Logging never fails a login: the events are lost, and the process log says so.
  if (!s.ok()) {
    log::Error("tenant_log_events_lost", {{"events", std::to_string(n)}, {"error", s.ToString()}});
  }
  return s;
}

void BufferedLogRepo::WriterMain() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.interval,
                   [this] { return stopping_ || queue_.size() >= options_.batch; });
    if (queue_.empty()) continue;
    lock.unlock();
    (void)Flush();
    lock.lock();
  }
}

}  // namespace gatehouse::storage
