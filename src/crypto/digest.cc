#include "crypto/digest.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>

#include "crypto/openssl_md.h"

namespace gatehouse::crypto {
namespace internal {

// Fetched once: an implicit fetch per call (EVP_sha256()) costs a provider
// lookup every time, which shows in HS256 verification.
const EVP_MD* Md(Hash hash) {
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* const kSha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static const EVP_MD* const kSha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  const EVP_MD* md = nullptr;
  switch (hash) {
    case Hash::kSha256: md = kSha256; break;
    case Hash::kSha384: md = kSha384; break;
    case Hash::kSha512: md = kSha512; break;
  }
  if (md == nullptr) {
    // Only a broken OpenSSL installation gets here; every caller relies on it.
    std::fputs("gatehouse: fatal: OpenSSL has no SHA-2 digest\n", stderr);
    std::abort();
  }
  return md;
}

}  // namespace internal

using internal::Md;

size_t DigestSize(Hash hash) {
  switch (hash) {
    case Hash::kSha256: return 32;
    case Hash::kSha384: return 48;
    case Hash::kSha512: return 64;
  }
  return 0;
}

std::string Digest(Hash hash, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                 Md(hash), nullptr) != 1) {
    std::fputs("gatehouse: fatal: EVP_Digest failed\n", stderr);
    std::abort();
  }
  out.resize(len);
  return out;
}

std::string Hmac(Hash hash, std::string_view key, std::string_view data) {
  static const unsigned char kEmpty[1] = {0};
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  const void* key_ptr = key.empty() ? kEmpty : static_cast<const void*>(key.data());
  const unsigned char* data_ptr =
      data.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  if (HMAC(Md(hash), key_ptr, static_cast<int>(key.size()), data_ptr, data.size(),
           reinterpret_cast<unsigned char*>(out.data()), &len) == nullptr) {
    std::fputs("gatehouse: fatal: HMAC failed\n", stderr);
    std::abort();
  }
  out.resize(len);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gatehouse::crypto
