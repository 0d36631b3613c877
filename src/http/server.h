#pragma once
// The HTTP/1.1 server (optionally over TLS). The implementation lives in
// http/beast/; nothing here exposes Boost.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/random.h"
#include "core/status.h"
#include "http/client_ip.h"
#include "http/router.h"

namespace gatehouse::http {

// Holds every route handler's response until what the handler did may be
// revealed: the server opens it when the storage's group commit has made the
// handler's writes durable (storage.h, WhenChangesDurable). Both unset: every
// response goes out at once.
struct ResponseGate {
  // True if a response may go out now. Called on an I/O thread: must be cheap.
  std::function<bool()> is_open;
  // Calls `release` exactly once, from any thread, when a response may go out.
  std::function<void(std::function<void()> release)> when_open;
};

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 8080;  // 0 = ephemeral (tests); see Server::port()
  int io_threads = 2;
  std::string tls_cert_file, tls_key_file;  // both set => TLS only (PEM chain, PEM key)
  size_t max_header_bytes = 16 * 1024;      // whole header block; over => 431 + close
  // From the first byte of a request to the end of its header block; over => 408 + close.
  std::chrono::milliseconds header_timeout{10000};
  // Reading the body; over => 408 + close. Also bounds writing one response.
  std::chrono::milliseconds body_timeout{30000};
  // Waiting for the first byte of a request, on a fresh or a kept-alive
  // connection (and for the TLS handshake); over => closed silently.
  std::chrono::milliseconds idle_timeout{60000};
  // At the limit a new plain-HTTP connection gets an immediate 503 +
  // Connection: close (a TLS one is closed without a handshake), so it costs
  // the server almost nothing and clients get through again as soon as open
  // connections end (idle ones end after idle_timeout).
  size_t max_connections = 10000;
  // Cap on every request body, whatever its route allows (routes may set lower
  // limits in RouteOptions); over => 413.
  size_t max_body_bytes = SIZE_MAX;
  size_t max_requests_per_connection = 10000;  // the last one is answered with Connection: close
  bool access_log = true;                      // one "http_request" JSON line per response
  // Peers whose X-Forwarded-For is believed (Request::remote_ip becomes the
  // client they forwarded for); empty = the TCP peer is always the client.
  TrustedProxies trusted_proxies;
  // Source of request ids; nullptr => a per-thread non-cryptographic
  // generator (request ids are correlation ids, not secrets).
  std::shared_ptr<Random> random;
  // See ResponseGate. Not applied to the layer's own errors (400, 404, 408,
  // 413, 431, 503) nor to responses of the router's guard.
  ResponseGate response_gate;
};

// Thread-safety: Start, Shutdown and Wait may be called from any thread, but
// Start once, before Shutdown. Handlers run concurrently on the I/O threads
// (requests on one connection are handled one at a time, in order).
class Server {
 public:
  virtual ~Server() = default;

  // InvalidArgument for bad options (e.g. unreadable TLS files, only one of
  // cert/key set, io_threads < 1). Does not bind yet.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options,
                                                std::shared_ptr<const Router> router);

  // Binds and listens (address in use => Unavailable; bad address =>
  // InvalidArgument), then spawns the I/O threads.
  virtual Status Start() = 0;
  // The bound port (the ephemeral one when options.port was 0); 0 before Start.
  virtual uint16_t port() const = 0;
  // Stops accepting, closes idle keep-alive connections, lets in-flight
  // requests (including async handlers) finish for up to `drain` and answers
  // them with Connection: close, then closes what is left and joins the I/O
  // threads. Idempotent. Done callbacks must not be called after the Server
  // is destroyed (stop worker pools that hold them first).
  virtual void Shutdown(std::chrono::milliseconds drain) = 0;
  // Blocks until Shutdown has completed (returns at once if it has).
  virtual void Wait() = 0;
};

// Blocks until SIGTERM or SIGINT arrives (for `gatehouse serve`). Installs
// handlers for both while waiting and restores the previous ones before
// returning, so a second Ctrl-C during shutdown ends the process as usual.
// Works whichever thread the signal is delivered to. Call from one thread.
void WaitForTerminationSignal();

}  // namespace gatehouse::http
