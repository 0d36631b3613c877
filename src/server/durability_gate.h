#pragma once
// The HTTP response gate (http::ResponseGate) over the storage's group commit:
// a handler's response is held until every change the storage had accepted
// when the response was ready is durable, so nothing a client is told has
// happened can be lost to a power failure, while concurrent requests (and the
// several writes of one request) share one disk sync. See storage.h,
// WhenChangesDurable, and docs/performance.md.
//
// Thread-safe. Must outlive the http::Server it is given to.

#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "http/server.h"
#include "storage/storage.h"

namespace gatehouse::server {

class DurabilityGate {
 public:
  explicit DurabilityGate(storage::Storage& storage) : storage_(storage) {}

  // The gate for ServerOptions::response_gate; refers to this object.
  http::ResponseGate ForServer();

  // Blocks until every response the gate held has been released. Call after
  // the HTTP server stopped (so none is added), before it is destroyed.
  void WaitReleased();

 private:
  storage::Storage& storage_;
  std::mutex mu_;
  std::condition_variable released_;
  int64_t held_ = 0;
};

}  // namespace gatehouse::server
