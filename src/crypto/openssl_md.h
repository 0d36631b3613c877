#pragma once
// Internal to src/crypto: the fetched OpenSSL digest for a Hash. Other modules
// must not include this (they never see OpenSSL types).

#include <openssl/types.h>

#include "crypto/digest.h"

namespace gatehouse::crypto::internal {

// Never null (aborts if OpenSSL lacks SHA-2). Thread-safe.
const EVP_MD* Md(Hash hash);

}  // namespace gatehouse::crypto::internal
