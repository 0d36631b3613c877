#include "flow/csrf.h"

#include "core/base64url.h"
#include "crypto/digest.h"

namespace gatehouse::flow {

std::string CsrfToken(std::string_view key, std::string_view transaction_id,
                      std::string_view browser_secret) {
  // Length-prefix the first part so ("ab","c") and ("a","bc") never collide.
  std::string data = std::to_string(transaction_id.size()) + ":";
  data.append(transaction_id);
  data.append(browser_secret);
  return Base64UrlEncode(crypto::Hmac(crypto::Hash::kSha256, key, data));
}

bool CsrfValid(std::string_view key, std::string_view transaction_id,
               std::string_view browser_secret, std::string_view token) {
  if (token.empty() || browser_secret.empty()) return false;
  return crypto::ConstantTimeEquals(CsrfToken(key, transaction_id, browser_secret), token);
}

}  // namespace gatehouse::flow
