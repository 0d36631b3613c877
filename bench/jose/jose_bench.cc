// Sign and verify cost of a typical ID token for each supported algorithm.
// Run: jose_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <cstdlib>

#include "core/clock.h"
#include "crypto/asymmetric_key.h"
#include "jose/jwt.h"

namespace gatehouse::jose {
namespace {

// About ten claims, as an OIDC ID token carries them.
nlohmann::json IdTokenClaims() {
  const int64_t now = 1'700'000'000;
  return {{"iss", "https://login.example.com/"},
          {"sub", "auth0|5f7c8ec7c33c6c004bbafe82"},
          {"aud", "k3jd93JD82jdkE8dj3kdJ38dkE02kdLx"},
          {"iat", now},
          {"exp", now + 36000},
          {"auth_time", now - 5},
          {"nonce", "n-0S6_WzA2Mj"},
          {"email", "jane.doe@example.com"},
          {"email_verified", true},
          {"name", "Jane Doe"},
          {"sid", "2f1d8c5e-7b3a-4c1e-9a0f-6d5e4c3b2a19"}};
}

struct Fixture {
  SigningKey key;
  KeyLookup lookup;
};

const Fixture& For(Alg alg) {
  static const Fixture hs{*SigningKey::Hmac(Alg::kHS256, std::string(32, 'k'), "hs"),
                          FixedKey(VerificationKey::Secret(std::string(32, 'k')))};
  static const crypto::PrivateKey rsa = *crypto::PrivateKey::GenerateRsa(2048);
  static const Fixture rs{*SigningKey::Asymmetric(Alg::kRS256, rsa, "rs"),
                          FixedKey(VerificationKey::Public(rsa.Public()))};
  static const crypto::PrivateKey ec = *crypto::PrivateKey::GenerateEcP256();
  static const Fixture es{*SigningKey::Asymmetric(Alg::kES256, ec, "es"),
                          FixedKey(VerificationKey::Public(ec.Public()))};
  switch (alg) {
    case Alg::kRS256: return rs;
    case Alg::kES256: return es;
    default: return hs;
  }
}

void BM_SignJwt(benchmark::State& state, Alg alg) {
  const Fixture& f = For(alg);
  const nlohmann::json claims = IdTokenClaims();
  for (auto _ : state) {
    auto token = SignJwt(claims, f.key);
    if (!token.ok()) std::abort();
    benchmark::DoNotOptimize(token);
  }
}

void BM_VerifyJwt(benchmark::State& state, Alg alg) {
  const Fixture& f = For(alg);
  const std::string token = *SignJwt(IdTokenClaims(), f.key);
  FakeClock clock(1'700'000'100);
  JwtValidation rules;
  rules.issuer = "https://login.example.com/";
  rules.audience = "k3jd93JD82jdkE8dj3kdJ38dkE02kdLx";
  for (auto _ : state) {
    auto verified = VerifyJwt(token, alg, f.lookup, rules, clock);
    if (!verified.ok()) std::abort();
    benchmark::DoNotOptimize(verified);
  }
}

BENCHMARK_CAPTURE(BM_SignJwt, HS256, Alg::kHS256);
BENCHMARK_CAPTURE(BM_VerifyJwt, HS256, Alg::kHS256);
BENCHMARK_CAPTURE(BM_SignJwt, RS256, Alg::kRS256);
BENCHMARK_CAPTURE(BM_VerifyJwt, RS256, Alg::kRS256);
BENCHMARK_CAPTURE(BM_SignJwt, ES256, Alg::kES256);
BENCHMARK_CAPTURE(BM_VerifyJwt, ES256, Alg::kES256);

}  // namespace
}  // namespace gatehouse::jose
