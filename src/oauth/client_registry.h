#pragma once
// Clients, stored as records (kind "client") through storage::RecordRepo.

#include <memory>
#include <string>
#include <vector>

#include "core/random.h"
#include "core/status.h"
#include "http/request.h"
#include "oauth/client.h"
#include "storage/storage.h"

namespace gatehouse::oauth {

struct CreatedClient {
  Client client;
  std::string client_secret;  // plaintext, shown once; "" for public clients
};

// Thread-safe.
class ClientRegistry {
 public:
  static std::unique_ptr<ClientRegistry> Create(storage::Storage& storage, Random& random);
  virtual ~ClientRegistry() = default;

  // Validates `spec` (app_type, auth method vs app_type, callbacks are absolute
  // URLs without fragments, known grant types; InvalidArgument with a public
  // message), assigns client_id and, for confidential clients, a secret.
  // spa and native clients are always public (method forced to "none", as in
  // Auth0); non_interactive clients must be confidential; public clients may
  // not have client_credentials. grant_types are stored sorted and unique.
  virtual Result<CreatedClient> Create(Client spec) = 0;
  virtual Result<Client> Get(const std::string& client_id) = 0;
  virtual Result<std::vector<Client>> List() = 0;
  // Compare-and-set on client.version. NotFound, Conflict, InvalidArgument.
  virtual Result<Client> Update(const Client& client) = 0;
  virtual Status Delete(const std::string& client_id) = 0;
  // New secret (old one stops working at once); NotFound; InvalidArgument for public clients.
  virtual Result<CreatedClient> RotateSecret(const std::string& client_id) = 0;

  // Client authentication at the token/revocation endpoints (RFC 6749 §2.3):
  // client_secret_basic (Authorization: Basic, form-urlencoded id and secret),
  // client_secret_post (client_id + client_secret in `form`), or none (public
  // client sends only client_id). Exactly one method per request. A
  // confidential client may use either secret method whatever it registered
  // (as Auth0 accepts; relying-party libraries default differently); a public
  // client must use none. Unauthenticated (=> invalid_client, 401) for unknown
  // client, wrong secret, a confidential client without its secret, a public
  // client with a secret, or several methods.
  virtual Result<Client> Authenticate(const http::Request& request, const http::Params& form) = 0;
};

}  // namespace gatehouse::oauth
