#pragma once
// Timestamps as Auth0 and our logs write them (ISO 8601, UTC, milliseconds).

#include <cstdint>
#include <string>

namespace gatehouse {

// "2026-11-28T03:57:40.123Z" for milliseconds since the Unix epoch (UTC).
std::string IsoTimeMs(int64_t unix_ms);

}  // namespace gatehouse
