// Compact JWS/JWT parsing and claim checks (jose/jws.h, jwt.h): arbitrary
// tokens against a pinned HS256 key. Nothing may verify unless it really is
// an HS256 token under that key; the fuzzer cannot forge one, so any success
// is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "jose/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  static FakeClock clock;
  static const jose::KeyLookup lookup =
      jose::FixedKey(jose::VerificationKey::Secret("fuzzing-key-fuzzing-key-fuzzing!"));
  std::string_view token(reinterpret_cast<const char*>(data), size);
  jose::JwtValidation rules;
  rules.issuer = "https://issuer.example/";
  rules.audience = "aud";
  for (auto alg : {jose::Alg::kHS256, jose::Alg::kRS256, jose::Alg::kES256}) {
    auto jws = jose::Verify(token, alg, lookup);
    auto jwt = jose::VerifyJwt(token, alg, lookup, rules, clock);
    if (alg != jose::Alg::kHS256 && (jws.ok() || jwt.ok())) __builtin_trap();
  }
  return 0;
}
