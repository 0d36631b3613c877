#pragma once
// Timestamps in the Management API's format.

#include <cstdint>
#include <string>

namespace gatehouse::accounts {

// "2026-11-28T03:57:40.123Z" for milliseconds since the Unix epoch (UTC).
std::string IsoTimeMs(int64_t unix_ms);

}  // namespace gatehouse::accounts
