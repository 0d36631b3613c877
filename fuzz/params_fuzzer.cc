// Query strings and form bodies (http/params.h): parse, decode, re-encode.
// Invariant: whatever ParseQuery accepts, encoding each pair and parsing the
// result again gives the same pairs back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/params.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)gatehouse::http::PercentDecode(in);
  auto parsed = gatehouse::http::ParseQuery(in);
  if (!parsed.ok()) return 0;
  std::string again;
  for (const auto& [name, value] : *parsed) {
    if (!again.empty()) again += '&';
    again += gatehouse::http::UrlEncode(name) + "=" + gatehouse::http::UrlEncode(value);
  }
  auto reparsed = gatehouse::http::ParseQuery(again);
  if (!reparsed.ok()) std::abort();
  auto a = parsed->begin();
  auto b = reparsed->begin();
  for (; a != parsed->end() && b != reparsed->end(); ++a, ++b) {
    if (a->first != b->first || a->second != b->second) std::abort();
  }
  if (a != parsed->end() || b != reparsed->end()) std::abort();
  return 0;
}
