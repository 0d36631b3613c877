#pragma once
// JSON Web Keys (RFC 7517) for the public keys we publish and accept, and the
// RFC 7638 thumbprint used as our key ids.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/asymmetric_key.h"

namespace gatehouse::jose {

// The public JWK of `key`: {"kty":"RSA","n","e"} or {"kty":"EC","crv":"P-256",
// "x","y"}, plus "use":"sig", and "kid"/"alg" when non-empty. Never contains
// private members.
nlohmann::json PublicJwk(const crypto::PublicKey& key, std::string_view kid, std::string_view alg);

// The public key of a JWK object. Private members ("d", "p", ...) are ignored,
// not an error. InvalidArgument for a non-object, a kty other than "RSA"/"EC",
// a crv other than "P-256", missing or non-string members, malformed
// base64url, or a key the crypto layer refuses (e.g. a point off the curve).
Result<crypto::PublicKey> ParseJwk(const nlohmann::json& jwk);

// The RFC 7638 JWK thumbprint of `key`: SHA-256 over the canonical JSON of its
// required members, as unpadded base64url (43 characters).
std::string Thumbprint(const crypto::PublicKey& key);

}  // namespace gatehouse::jose
