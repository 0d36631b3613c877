#include "jose/verification_key.h"

#include "crypto/digest.h"

namespace gatehouse::jose {

VerificationKey::VerificationKey(std::string secret, std::optional<crypto::PublicKey> key)
    : secret_(std::move(secret)), public_key_(std::move(key)) {}

VerificationKey VerificationKey::Secret(std::string secret) {
  return VerificationKey(std::move(secret), std::nullopt);
}

VerificationKey VerificationKey::Public(crypto::PublicKey key) {
  return VerificationKey("", std::move(key));
}

bool VerificationKey::Verify(Alg alg, std::string_view signing_input,
                             std::string_view signature) const {
  const crypto::Hash hash = AlgHash(alg);
  if (IsHmac(alg)) {
    // An empty secret would accept tokens anyone can compute.
    if (public_key_ || secret_.empty()) return false;
    return crypto::ConstantTimeEquals(crypto::Hmac(hash, secret_, signing_input), signature);
  }
  if (!public_key_) return false;
  const crypto::KeyKind want =
      alg == Alg::kRS256 ? crypto::KeyKind::kRsa : crypto::KeyKind::kEcP256;
  if (public_key_->kind() != want) return false;
  return public_key_->Verify(hash, signing_input, signature);
}

KeyLookup FixedKey(VerificationKey key) {
  return [key = std::move(key)](std::string_view) -> Result<VerificationKey> { return key; };
}

}  // namespace gatehouse::jose
