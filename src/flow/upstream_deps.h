#pragma once
// What the browser flow needs for sign-in through upstream OIDC connections
// (src/connections). All members must outlive the router.

#include "connections/connection_repo.h"
#include "connections/federated_users.h"
#include "connections/upstream_client.h"
#include "connections/worker_pool.h"

namespace gatehouse::flow {

struct UpstreamDeps {
  connections::ConnectionRepo& connections;
  connections::UpstreamClient& client;  // blocking: only called on `pool`
  connections::WorkerPool& pool;
  connections::FederatedUsers& users;
  // Lifetime of the state of one upstream round trip (user at the provider).
  int64_t state_seconds = 900;
};

}  // namespace gatehouse::flow
