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

std::string Random::Alphanumeric(size_t n_chars) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static constexpr unsigned kSize = sizeof(kAlphabet) - 1;  // 62
  // Rejection sampling: bytes >= 248 (= 4 * 62) are dropped so every
  // character is equally likely.
  std::string out;
  out.reserve(n_chars);
  while (out.size() < n_chars) {
    for (unsigned char c : Bytes(n_chars - out.size() + 8)) {
      if (c >= 4 * kSize) continue;
      out += kAlphabet[c % kSize];
      if (out.size() == n_chars) break;
    }
  }
  return out;
}

}  // namespace gatehouse
