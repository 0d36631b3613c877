#pragma once
// The relying-party side of a connection: discovery, the token request, and
// the ID token checks with the provider's JWKS. Every call may block on the
// network (http::OutboundClient), so callers run them on a worker thread
// (WorkerPool), never on an HTTP I/O thread.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connections/connection.h"
#include "core/clock.h"
#include "core/status.h"
#include "http/outbound.h"

namespace gatehouse::connections {

struct ProviderMetadata {
  std::string issuer;  // the expected "iss" (the connection's, or discovery's when unset)
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::vector<std::string> id_token_algs;  // id_token_signing_alg_values_supported
  bool basic_auth = true;                  // client_secret_basic, else client_secret_post
};

// What a successful upstream login proved.
struct UpstreamIdentity {
  nlohmann::json claims;  // the verified ID token claims
};

struct UpstreamClientOptions {
  int64_t metadata_ttl_seconds = 3600;
  int64_t jwks_ttl_seconds = 3600;
  // An unknown kid refetches the JWKS (key rotation), but at most this often
  // per provider, so forged kids cannot make us hammer it.
  int64_t jwks_min_refresh_seconds = 10;
  std::chrono::milliseconds timeout{10000};
};

// Thread-safe; caches are per discovery URL / JWKS URL.
class UpstreamClient {
 public:
  virtual ~UpstreamClient() = default;
  // `outbound` and `clock` must outlive the client.
  static std::unique_ptr<UpstreamClient> Create(http::OutboundClient& outbound, Clock& clock,
                                                UpstreamClientOptions options = {});

  // The provider's endpoints (cached). Unavailable when the provider cannot be
  // reached or answers badly; Unauthenticated when the document's issuer is
  // not the connection's.
  virtual Result<ProviderMetadata> Metadata(const Connection& c) = 0;

  // Redeems `code` at the token endpoint and checks the ID token. Errors:
  //   PermissionDenied   the token endpoint refused (message: its error code)
  //   Unavailable        network failure or a malformed answer
  //   others             as CheckIdToken (bad signature, iss, aud, nonce...)
  virtual Result<UpstreamIdentity> Redeem(const Connection& c, const std::string& code,
                                          const std::string& code_verifier,
                                          const std::string& redirect_uri,
                                          const std::string& nonce) = 0;
};

}  // namespace gatehouse::connections
