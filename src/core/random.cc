#include "core/random.h"

#include "core/base64url.h"

namespace gatehouse {

std::string Random::Token(size_t n_bytes) { return Base64UrlEncode(Bytes(n_bytes)); }

std::string Random::Hex(size_t n_bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string raw = Bytes(n_bytes);
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace gatehouse
