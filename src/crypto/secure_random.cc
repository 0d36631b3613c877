#include "crypto/secure_random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace gatehouse::crypto {

SecureRandom& SecureRandom::Instance() {
  static SecureRandom* instance = new SecureRandom();
  return *instance;
}

std::string SecureRandom::Bytes(size_t n) {
  std::string out(n, '\0');
  size_t done = 0;
  while (done < n) {
    const size_t chunk = std::min<size_t>(n - done, INT_MAX);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data() + done), static_cast<int>(chunk)) !=
        1) {
      std::fputs("gatehouse: fatal: the CSPRNG (RAND_bytes) failed\n", stderr);
      std::abort();
    }
    done += chunk;
  }
  return out;
}

}  // namespace gatehouse::crypto
