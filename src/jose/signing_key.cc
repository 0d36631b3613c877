#include "jose/signing_key.h"

#include "crypto/digest.h"

namespace gatehouse::jose {

SigningKey::SigningKey(Alg alg, std::string kid, std::string secret,
                       std::optional<crypto::PrivateKey> key)
    : alg_(alg), kid_(std::move(kid)), secret_(std::move(secret)), private_key_(std::move(key)) {}

Result<SigningKey> SigningKey::Hmac(Alg alg, std::string secret, std::string kid) {
  if (!IsHmac(alg)) return InvalidArgument("not an HMAC algorithm");
  if (secret.size() < crypto::DigestSize(AlgHash(alg))) {
    return InvalidArgument("HMAC secret shorter than the hash output");
  }
  return SigningKey(alg, std::move(kid), std::move(secret), std::nullopt);
}

Result<SigningKey> SigningKey::Asymmetric(Alg alg, crypto::PrivateKey key, std::string kid) {
  const bool matches = (alg == Alg::kRS256 && key.kind() == crypto::KeyKind::kRsa) ||
                       (alg == Alg::kES256 && key.kind() == crypto::KeyKind::kEcP256);
  if (!matches) return InvalidArgument("key type does not match the algorithm");
  return SigningKey(alg, std::move(kid), "", std::move(key));
}

std::optional<crypto::PublicKey> SigningKey::Public() const {
  if (!private_key_) return std::nullopt;
  return private_key_->Public();
}

Result<std::string> SigningKey::Sign(std::string_view signing_input) const {
  if (private_key_) return private_key_->Sign(AlgHash(alg_), signing_input);
  return crypto::Hmac(AlgHash(alg_), secret_, signing_input);
}

}  // namespace gatehouse::jose
