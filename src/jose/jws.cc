#include "jose/jws.h"

#include <array>

#include "core/base64url.h"

namespace gatehouse::jose {
namespace {

// Splits "a.b.c" into its three parts; false unless there are exactly two dots.
bool SplitCompact(std::string_view token, std::array<std::string_view, 3>& parts) {
  const size_t first = token.find('.');
  if (first == std::string_view::npos) return false;
  const size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return false;
  if (token.find('.', second + 1) != std::string_view::npos) return false;
  parts = {token.substr(0, first), token.substr(first + 1, second - first - 1),
           token.substr(second + 1)};
  return true;
}

// Members this implementation does not understand and must not ignore.
Status CheckUnsupportedHeaderMembers(const nlohmann::json& header) {
  // RFC 7515 §4.1.11: a recipient that does not understand every listed
  // extension must reject; we understand none.
  if (header.contains("crit")) return InvalidArgument("JWS header has crit");
  // RFC 7797: b64=false changes what is signed; refuse rather than misread.
  auto b64 = header.find("b64");
  if (b64 != header.end() && *b64 != true) return InvalidArgument("JWS b64=false unsupported");
  return Status::Ok();
}

}  // namespace

Result<std::string> Sign(const nlohmann::json& header_extra, std::string_view payload,
                         const SigningKey& key) {
  if (!header_extra.is_null() && !header_extra.is_object()) {
    return InvalidArgument("JWS header must be a JSON object");
  }
  nlohmann::json header = header_extra.is_null() ? nlohmann::json::object() : header_extra;
  const std::string alg(AlgName(key.alg()));
  auto existing = header.find("alg");
  if (existing != header.end() && *existing != alg) {
    return InvalidArgument("JWS header alg differs from the key's algorithm");
  }
  GH_RETURN_IF_ERROR(CheckUnsupportedHeaderMembers(header));
  header["alg"] = alg;
  if (!key.kid().empty() && !header.contains("kid")) header["kid"] = key.kid();

  // Strings we did not build may hold invalid UTF-8; dump would throw on it.
  std::string header_text = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string input = Base64UrlEncode(header_text);
  input += '.';
  input += Base64UrlEncode(payload);
  GH_ASSIGN_OR_RETURN(std::string signature, key.Sign(input));
  input += '.';
  input += Base64UrlEncode(signature);
  return input;
}

Result<VerifiedJws> Verify(std::string_view token, Alg expected_alg, const KeyLookup& lookup,
                           const JwsVerifyOptions& options) {
  if (token.size() > options.max_token_bytes) return ResourceExhausted("JWS too long");
  std::array<std::string_view, 3> parts;
  if (!SplitCompact(token, parts)) return InvalidArgument("JWS must have three parts");

  auto header_text = Base64UrlDecode(parts[0]);
  auto payload = Base64UrlDecode(parts[1]);
  auto signature = Base64UrlDecode(parts[2]);
  if (!header_text || !payload || !signature) return InvalidArgument("JWS has malformed base64url");

  // The non-throwing overload: a parse error yields a "discarded" value.
  nlohmann::json header = nlohmann::json::parse(*header_text, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) {
    return InvalidArgument("JWS header is not a JSON object");
  }
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) return InvalidArgument("JWS header has no alg");
  GH_RETURN_IF_ERROR(CheckUnsupportedHeaderMembers(header));
  if (alg->get_ref<const std::string&>() != AlgName(expected_alg)) {
    return Unauthenticated("JWS alg is not the expected algorithm");
  }

  std::string kid;
  auto kid_it = header.find("kid");
  if (kid_it != header.end()) {
    if (!kid_it->is_string()) return InvalidArgument("JWS kid is not a string");
    kid = kid_it->get<std::string>();
  }
  if (options.require_kid && kid.empty()) return Unauthenticated("JWS has no kid");
  Result<VerificationKey> key = lookup(kid);
  if (!key.ok()) {
    if (key.status().code() == ErrorCode::kNotFound) return Unauthenticated("JWS kid is unknown");
    return key.status();
  }

  // The signing input is the token's own first two parts, byte for byte.
  const std::string_view signing_input = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!key->Verify(expected_alg, signing_input, *signature)) {
    return Unauthenticated("JWS signature does not verify");
  }
  return VerifiedJws{std::move(header), std::move(*payload)};
}

}  // namespace gatehouse::jose
