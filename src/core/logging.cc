#include "core/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/iso_time.h"

namespace gatehouse::log {
namespace {

spdlog::level::level_enum ToSpd(Level l) {
  switch (l) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
  }
  return spdlog::level::info;
}

const char* Name(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::string Timestamp() {
  return IsoTimeMs(std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count());
}

std::string Head(Level level, std::string_view msg) {
  std::string line = "{\"ts\":\"" + Timestamp() + "\",\"level\":\"" + Name(level) +
                     "\",\"msg\":\"" + JsonEscape(msg) + "\"";
  return line;
}

}  // namespace

// Installs the JSON stderr logger once, whether Init ran or not: a module that
// logs before (or without) Init must never print spdlog's default text to stdout,
// where command output (`init --json`) goes.
static void EnsureInstalled() {
  static const bool installed = [] {
    auto logger = spdlog::stderr_logger_mt("gatehouse");
    logger->set_pattern("%v");  // lines are composed as JSON by Event()
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
    return true;
  }();
  (void)installed;
}

void Init(std::string_view level) {
  EnsureInstalled();
  Level l = Level::kInfo;
  if (level == "debug") l = Level::kDebug;
  if (level == "warn") l = Level::kWarn;
  if (level == "error") l = Level::kError;
  spdlog::set_level(ToSpd(l));
}

void Event(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  EnsureInstalled();
  if (!spdlog::should_log(ToSpd(level))) return;
  std::string line = Head(level, msg);
  for (const auto& [k, v] : fields) {
    line += ",\"";
    line += JsonEscape(k);
    line += "\":\"";
    line += JsonEscape(v);
    line += '"';
  }
  line += '}';
  spdlog::log(ToSpd(level), "{}", line);
}

void EventRaw(Level level, std::string_view msg, std::string_view json_members) {
  EnsureInstalled();
  if (!spdlog::should_log(ToSpd(level))) return;
  std::string line = Head(level, msg);
  if (!json_members.empty()) {
    line += ',';
    line += json_members;
  }
  line += '}';
  spdlog::log(ToSpd(level), "{}", line);
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

}  // namespace gatehouse::log
