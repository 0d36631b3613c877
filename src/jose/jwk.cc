#include "jose/jwk.h"

#include <optional>

#include "core/base64url.h"
#include "crypto/digest.h"

namespace gatehouse::jose {
namespace {

// A required base64url member of `jwk`, decoded; nullopt when absent,
// not a string, empty or malformed.
std::optional<std::string> Member(const nlohmann::json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  const auto& text = it->get_ref<const std::string&>();
  if (text.empty()) return std::nullopt;
  return Base64UrlDecode(text);
}

}  // namespace

nlohmann::json PublicJwk(const crypto::PublicKey& key, std::string_view kid, std::string_view alg) {
  auto [a, b] = key.Components();
  nlohmann::json jwk;
  if (key.kind() == crypto::KeyKind::kRsa) {
    jwk["kty"] = "RSA";
    jwk["n"] = Base64UrlEncode(a);
    jwk["e"] = Base64UrlEncode(b);
  } else {
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["x"] = Base64UrlEncode(a);
    jwk["y"] = Base64UrlEncode(b);
  }
  jwk["use"] = "sig";
  if (!kid.empty()) jwk["kid"] = std::string(kid);
  if (!alg.empty()) jwk["alg"] = std::string(alg);
  return jwk;
}

Result<crypto::PublicKey> ParseJwk(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return InvalidArgument("JWK is not a JSON object");
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) return InvalidArgument("JWK has no kty");
  if (*kty == "RSA") {
    auto n = Member(jwk, "n");
    auto e = Member(jwk, "e");
    if (!n || !e) return InvalidArgument("RSA JWK needs base64url n and e");
    return crypto::PublicKey::FromRsaComponents(*n, *e);
  }
  if (*kty == "EC") {
    auto crv = jwk.find("crv");
    if (crv == jwk.end() || *crv != "P-256") return InvalidArgument("EC JWK curve is not P-256");
    auto x = Member(jwk, "x");
    auto y = Member(jwk, "y");
    if (!x || !y) return InvalidArgument("EC JWK needs base64url x and y");
    return crypto::PublicKey::FromEcP256(*x, *y);
  }
  return InvalidArgument("unsupported JWK kty");
}

std::string Thumbprint(const crypto::PublicKey& key) {
  // RFC 7638 §3.2: required members only, lexicographic order, no
  // whitespace. Base64url values need no JSON escaping, so this is exact.
  auto [a, b] = key.Components();
  std::string canonical;
  if (key.kind() == crypto::KeyKind::kRsa) {
    canonical =
        R"({"e":")" + Base64UrlEncode(b) + R"(","kty":"RSA","n":")" + Base64UrlEncode(a) + R"("})";
  } else {
    canonical = R"({"crv":"P-256","kty":"EC","x":")" + Base64UrlEncode(a) + R"(","y":")" +
                Base64UrlEncode(b) + R"("})";
  }
  return Base64UrlEncode(crypto::Digest(crypto::Hash::kSha256, canonical));
}

}  // namespace gatehouse::jose
