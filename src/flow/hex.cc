#include "flow/hex.h"

#include "crypto/digest.h"

namespace gatehouse::flow {

std::string Sha256Hex(std::string_view secret) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string digest = crypto::Digest(crypto::Hash::kSha256, secret);
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char c : digest) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

}  // namespace gatehouse::flow
