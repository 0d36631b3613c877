#pragma once
// Case-insensitive header storage shared by Request (and usable by handlers).

#include <map>
#include <string>
#include <string_view>

namespace gatehouse::http {

// ASCII case-insensitive ordering for header names (HTTP field names are ASCII).
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// ASCII lowercase copy.
std::string ToLower(std::string_view s);

// Header name -> value; repeated fields keep their wire order among equal names.
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

}  // namespace gatehouse::http
