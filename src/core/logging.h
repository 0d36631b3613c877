#pragma once
// Process logging: JSON lines on stderr, one object per event.
//
//   {"ts":"2026-11-28T03:40:00.123Z","level":"info","msg":"listening","addr":"127.0.0.1:8080"}
//
// Modules log through LogEvent so every line is valid JSON whatever the field
// values contain (quotes, newlines, control characters are escaped).

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace gatehouse::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Installs the stderr JSON sink as spdlog's default logger. `level` is one of
// "debug", "info", "warn", "error"; unknown names mean "info". Call once at
// start-up, before other threads log; later calls replace the level only.
void Init(std::string_view level = "info");

using Field = std::pair<std::string_view, std::string_view>;

// Writes one JSON line with "ts", "level", "msg" and the given string fields.
// Thread-safe.
void Event(Level level, std::string_view msg, std::initializer_list<Field> fields = {});
// Same, with a pre-serialised JSON object whose members are appended
// (for numeric fields); `json_members` is e.g. R"("status":200,"ms":1.5)".
void EventRaw(Level level, std::string_view msg, std::string_view json_members);

inline void Info(std::string_view msg, std::initializer_list<Field> f = {}) {
  Event(Level::kInfo, msg, f);
}
inline void Warn(std::string_view msg, std::initializer_list<Field> f = {}) {
  Event(Level::kWarn, msg, f);
}
inline void Error(std::string_view msg, std::initializer_list<Field> f = {}) {
  Event(Level::kError, msg, f);
}
inline void Debug(std::string_view msg, std::initializer_list<Field> f = {}) {
  Event(Level::kDebug, msg, f);
}

// JSON string escaping (without the surrounding quotes).
std::string JsonEscape(std::string_view s);

}  // namespace gatehouse::log
