#include "server/durability_gate.h"

#include <utility>

namespace gatehouse::server {

http::ResponseGate DurabilityGate::ForServer() {
  return http::ResponseGate{
      .is_open = [this] { return storage_.ChangesDurable(); },
      .when_open =
          [this](std::function<void()> release) {
            {
              std::lock_guard lock(mu_);
              ++held_;
            }
            storage_.WhenChangesDurable([this, release = std::move(release)] {
              release();
              std::lock_guard lock(mu_);
              if (--held_ == 0) released_.notify_all();
            });
          },
  };
}

void DurabilityGate::WaitReleased() {
  std::unique_lock lock(mu_);
  released_.wait(lock, [&] { return held_ == 0; });
}

}  // namespace gatehouse::server
