// Cookie headers (http/cookie.h): first byte picks the cookie name length,
// the rest is the header. Looks up a fixed name, a name from the input, and
// our two cookie names.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/cookie.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t n = data[0] % 16;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string_view name = rest.substr(0, std::min(n, rest.size()));
  std::string_view header = rest.substr(name.size());
  for (std::string_view look : {name, std::string_view("gh_tx"), std::string_view("gh_session")}) {
    auto v = gatehouse::http::FindCookie(header, look);
    if (v && v->size() > header.size()) __builtin_trap();
  }
  return 0;
}
