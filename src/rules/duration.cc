#include "rules/duration.h"

#include <cctype>
#include <cstdlib>
#include <string>
#include <utility>

namespace gatehouse::rules {
namespace {

constexpr double kSecond = 1000;
constexpr double kMinute = 60 * kSecond;
constexpr double kHour = 60 * kMinute;
constexpr double kDay = 24 * kHour;
constexpr double kWeek = 7 * kDay;
constexpr double kYear = 365.25 * kDay;

std::optional<double> UnitMs(std::string unit) {
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<const char*, double> kUnits[] = {
      {"years", kYear},     {"year", kYear},      {"yrs", kYear},      {"yr", kYear},
      {"y", kYear},         {"weeks", kWeek},     {"week", kWeek},     {"w", kWeek},
      {"days", kDay},       {"day", kDay},        {"d", kDay},         {"hours", kHour},
      {"hour", kHour},      {"hrs", kHour},       {"hr", kHour},       {"h", kHour},
      {"minutes", kMinute}, {"minute", kMinute},  {"mins", kMinute},   {"min", kMinute},
      {"m", kMinute},       {"seconds", kSecond}, {"second", kSecond}, {"secs", kSecond},
      {"sec", kSecond},     {"s", kSecond},       {"milliseconds", 1}, {"millisecond", 1},
      {"msecs", 1},         {"msec", 1},          {"ms", 1},           {"", 1},
  };
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) return factor;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> ParseDurationMs(std::string_view text) {
  if (text.empty() || text.size() > 100) return std::nullopt;
  // ms's pattern: ^(-?(?:\d+)?\.?\d+) *(unit)?$
  size_t i = 0;
  if (text[i] == '-') ++i;
  size_t digits_before = 0, digits_after = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits_before;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
      ++i, ++digits_after;
    if (digits_after == 0) return std::nullopt;
  } else if (digits_before == 0) {
    return std::nullopt;
  }
  std::string number(text.substr(0, i));
  while (i < text.size() && text[i] == ' ') ++i;
  auto factor = UnitMs(std::string(text.substr(i)));
  if (!factor) return std::nullopt;
  return std::strtod(number.c_str(), nullptr) * *factor;
}

}  // namespace gatehouse::rules
