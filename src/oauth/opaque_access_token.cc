#include "oauth/opaque_access_token.h"

#include "core/base64url.h"
#include "crypto/digest.h"

namespace gatehouse::oauth {
namespace {

constexpr std::string_view kPrefix = "gh1_";
// Far above any token we seal (a few hundred bytes); refuses junk before any work.
constexpr size_t kMaxTokenSize = 8192;

std::string Mac(std::string_view key, std::string_view sealed_part) {
  return Base64UrlEncode(crypto::Hmac(crypto::Hash::kSha256, key, sealed_part));
}

}  // namespace

bool IsOpaqueAccessToken(std::string_view token) { return token.starts_with(kPrefix); }

std::string SealAccessToken(const nlohmann::json& claims, std::string_view key) {
  std::string token(kPrefix);
  token += Base64UrlEncode(claims.dump());
  std::string mac = Mac(key, token);
  token += '.';
  token += mac;
  return token;
}

Result<nlohmann::json> OpenAccessToken(std::string_view token, std::string_view key) {
  if (token.size() > kMaxTokenSize || !IsOpaqueAccessToken(token)) {
    return InvalidArgument("not an opaque access token");
  }
  size_t dot = token.rfind('.');
  if (dot == std::string_view::npos || dot < kPrefix.size()) {
    return InvalidArgument("opaque access token without a MAC");
  }
  // The MAC is checked before the payload is decoded or parsed.
  if (!crypto::ConstantTimeEquals(Mac(key, token.substr(0, dot)), token.substr(dot + 1))) {
    return InvalidArgument("opaque access token MAC mismatch");
  }
  auto payload = Base64UrlDecode(token.substr(kPrefix.size(), dot - kPrefix.size()));
  if (!payload) return InvalidArgument("opaque access token payload is not base64url");
  auto claims = nlohmann::json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return InvalidArgument("opaque access token payload is not an object");
  return claims;
}

}  // namespace gatehouse::oauth
