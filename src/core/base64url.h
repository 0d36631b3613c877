#pragma once
// Base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2).

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

// Encodes bytes as unpadded base64url.
std::string Base64UrlEncode(std::string_view bytes);

// Decodes unpadded base64url. Returns nullopt for anything else: '=' padding,
// characters outside the alphabet (including '+', '/', whitespace), a length of
// 1 mod 4, or non-zero unused trailing bits (so each byte string has exactly one
// accepted encoding, which matters when comparing tokens).
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Standard base64 with padding (RFC 4648 §4), used for HTTP Basic credentials
// and PEM-adjacent formats.
std::string Base64Encode(std::string_view bytes);
// Decodes padded standard base64; nullopt on any malformed input.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace gatehouse
