#include "oauth/token_hash.h"

#include "crypto/digest.h"

namespace gatehouse::oauth {

std::string HashToken(std::string_view token) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string raw = crypto::Digest(crypto::Hash::kSha256, token);
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

bool TokenMatchesHash(std::string_view token, std::string_view stored_hex_hash) {
  return crypto::ConstantTimeEquals(HashToken(token), stored_hex_hash);
}

}  // namespace gatehouse::oauth
