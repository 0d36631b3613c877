#include "jose/algorithm.h"

namespace gatehouse::jose {

std::string_view AlgName(Alg alg) {
  switch (alg) {
    case Alg::kHS256: return "HS256";
    case Alg::kHS384: return "HS384";
    case Alg::kHS512: return "HS512";
    case Alg::kRS256: return "RS256";
    case Alg::kES256: return "ES256";
  }
  return "";
}

std::optional<Alg> ParseAlg(std::string_view name) {
  for (Alg alg : {Alg::kHS256, Alg::kHS384, Alg::kHS512, Alg::kRS256, Alg::kES256}) {
    if (AlgName(alg) == name) return alg;
  }
  return std::nullopt;
}

crypto::Hash AlgHash(Alg alg) {
  switch (alg) {
    case Alg::kHS384: return crypto::Hash::kSha384;
    case Alg::kHS512: return crypto::Hash::kSha512;
    default: return crypto::Hash::kSha256;
  }
}

bool IsHmac(Alg alg) { return alg == Alg::kHS256 || alg == Alg::kHS384 || alg == Alg::kHS512; }

}  // namespace gatehouse::jose
