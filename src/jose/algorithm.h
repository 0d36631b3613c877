#pragma once
// The JWS algorithms Gatehouse signs and verifies (RFC 7518 §3.1 names).

#include <optional>
#include <string_view>

#include "crypto/digest.h"

namespace gatehouse::jose {

enum class Alg { kHS256, kHS384, kHS512, kRS256, kES256 };

// "HS256", "RS256", ...
std::string_view AlgName(Alg alg);
// The algorithm named exactly `name` (case-sensitive); nullopt for anything
// else, including "none" in any casing.
std::optional<Alg> ParseAlg(std::string_view name);
// The hash the algorithm uses.
crypto::Hash AlgHash(Alg alg);
// True for HS256/384/512.
bool IsHmac(Alg alg);

}  // namespace gatehouse::jose
