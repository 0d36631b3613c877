#pragma once
// A Storage whose tenant log is written behind the request
// (storage/buffered_log_repo.h); every other slice is `inner`'s own. What the
// server runs on (server/services.cc); tests of the backends use them bare.

#include <memory>

#include "core/clock.h"
#include "storage/buffered_log_repo.h"
#include "storage/storage.h"

namespace gatehouse::storage {

// Destroying the result stores the queued events before closing `inner`.
std::unique_ptr<Storage> WithBufferedLogs(std::unique_ptr<Storage> inner, Clock& clock,
                                          BufferedLogOptions options = {});

}  // namespace gatehouse::storage
