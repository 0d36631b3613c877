// The only translation unit that sees Boost.Beast/Asio (see pch.h).
//
// One Session per connection, all of its work on its own strand. A session
// loops: wait for the first byte (idle_timeout) -> read the header block
// (header_timeout, header_limit) -> route -> read the body with the route's
// limit (body_timeout) -> run the handler -> write -> repeat. Requests on one
// connection are handled strictly one after another, which also answers
// pipelined requests in order (extra bytes stay in the session's buffer).
// Timeouts use one steady_timer per session rather than tcp_stream's expiry,
// because tcp_stream closes the socket on expiry and we still want to send 408.
#include "http/beast/beast_server.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/logging.h"
#include "http/beast/pch.h"
#include "http/headers.h"
#include "http/params.h"

namespace gatehouse::http::beast_impl {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

// After an error response we stop reading requests but keep draining (and
// discarding) what the client still sends for a moment, so the kernel does not
// answer the unread data with a RST that would destroy our response in flight.
constexpr size_t kLingerBytes = 1 << 20;
constexpr std::chrono::milliseconds kLingerTime{500};
constexpr std::chrono::milliseconds kRejectTime{1000};

std::string FallbackRequestId() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 2; ++i) {
    uint64_t v = gen();
    for (int j = 0; j < 16; ++j, v >>= 4) out += kHex[v & 15];
  }
  return out;
}

class ServerImpl;

// Type-erased view of a session for the server's registry.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Posts the shutdown notice onto the session's strand.
  virtual void NotifyShutdown() = 0;
  // Posts a hard close onto the session's strand.
  virtual void ForceClose() = 0;
};

// Shared by every session: options, router and the registry.
struct Shared {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  std::atomic<bool> shutting_down{false};

  std::mutex mu;
  std::condition_variable cv;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;  // guarded by mu
  std::atomic<size_t> active{0};

  std::string NewRequestId() {
    return options.random ? options.random->Hex(16) : FallbackRequestId();
  }
};

enum class Phase { kHandshake, kIdle, kHeader, kBody, kHandler, kWrite, kLinger, kClosed };

template <bool kTls>
class Session : public SessionBase, public std::enable_shared_from_this<Session<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, ssl::stream<tcp::socket>, tcp::socket>;

  Session(tcp::socket socket, ssl::context* ctx, std::shared_ptr<Shared> shared) requires kTls
      : shared_(std::move(shared)),
        stream_(std::move(socket), *ctx),
        timer_(Sock().get_executor()) {
    Init();
  }
  Session(tcp::socket socket, ssl::context*, std::shared_ptr<Shared> shared) requires(!kTls)
      : shared_(std::move(shared)), stream_(std::move(socket)), timer_(Sock().get_executor()) {
    Init();
  }

  void Init() {
    error_code ec;
    auto ep = Sock().remote_endpoint(ec);
    if (!ec) {
      remote_ip_ = ep.address().to_string();
      remote_port_ = ep.port();
    }
  }

  ~Session() override {
    std::lock_guard lock(shared_->mu);
    shared_->sessions.erase(this);
    shared_->active.fetch_sub(1);
    shared_->cv.notify_all();
  }

  void Start() {
    {
      std::lock_guard lock(shared_->mu);
      shared_->sessions[this] = this->shared_from_this();
    }
    asio::dispatch(Sock().get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->ReadRequest();
      }
    });
  }

  void NotifyShutdown() override {
    asio::post(Sock().get_executor(), [self = this->shared_from_this()] {
      self->shutdown_seen_ = true;
      // Nothing in flight: close now. Otherwise the response carries
      // Connection: close and the loop ends after writing it.
      if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kHandshake) self->Close();
    });
  }

  void ForceClose() override {
    asio::post(Sock().get_executor(), [self = this->shared_from_this()] { self->Close(); });
  }

  // Called on the strand by the async Done path, past the response gate.
  void DeliverAsync(Response response) {
    if (phase_ != Phase::kHandler) return;
    Respond(std::move(response));
  }

  auto Executor() { return Sock().get_executor(); }

 private:
  tcp::socket& Sock() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  const ServerOptions& Opt() const { return shared_->options; }

  // Arms the session timer for the current phase; a stale expiry (the phase
  // moved on) is ignored via the generation counter.
  void Arm(std::chrono::milliseconds d) {
    ++timer_gen_;
    timer_.expires_after(d);
    timer_.async_wait([self = this->shared_from_this(), gen = timer_gen_](error_code ec) {
      if (ec || gen != self->timer_gen_) return;
      self->OnTimeout();
    });
  }

  void Disarm() {
    ++timer_gen_;
    timer_.cancel();
  }

  void OnTimeout() {
    switch (phase_) {
      case Phase::kHeader:
      case Phase::kBody: {
        timed_out_ = true;
        error_code ec;
        Sock().cancel(ec);  // the pending read completes with operation_aborted
        break;
      }
      case Phase::kHandler: break;  // handlers are not timed here
      default: Close(); break;
    }
  }

  void Handshake() {
    if constexpr (kTls) {
      phase_ = Phase::kHandshake;
      Arm(Opt().idle_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                self->Disarm();
                                if (ec || self->phase_ == Phase::kClosed) return self->Close();
                                self->ReadRequest();
                              });
    }
  }

  void ReadRequest() {
    if (phase_ == Phase::kClosed) return;
    if ((shutdown_seen_ || shared_->shutting_down) && buffer_.size() == 0) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(Opt().max_header_bytes, std::numeric_limits<uint32_t>::max())));
    // The route's limit is applied once the header is in (see OnHeader).
    // Not boost::none: Beast 1.74 compares the length against an empty
    // optional and reports body_limit for any Content-Length.
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    req_ = Request{};
    route_ = nullptr;
    timed_out_ = false;
    if (buffer_.size() > 0) return ReadHeader();
    phase_ = Phase::kIdle;
    Arm(Opt().idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](error_code ec, size_t n) {
                              self->Disarm();
                              if (ec || n == 0 || self->phase_ != Phase::kIdle)
                                return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    phase_ = Phase::kHeader;
    started_ = SteadyClock::now();
    Arm(Opt().header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](error_code ec, size_t) {
                               self->Disarm();
                               self->OnHeader(ec);
                             });
  }

  static bool IsParseError(const error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
  }

  void OnHeader(error_code ec) {
    if (phase_ == Phase::kClosed) return;
    req_.request_id = shared_->NewRequestId();
    if (timed_out_) {
      return Fail(408, "request_timeout", "the request header was not received in time");
    }
    if (ec == bhttp::error::header_limit) {
      return Fail(431, "request_header_fields_too_large", "the request header is too large");
    }
    if (ec) {
      if (IsParseError(ec)) {
        log::Debug("http_bad_request", {{"error", ec.message()}});
        return Fail(400, "invalid_request", "malformed HTTP request: " + ec.message());
      }
      return Close();
    }
    const auto& msg = parser_->get();
    req_.method = std::string(msg.method_string());
    req_.target = std::string(msg.target());
    req_.http_version = msg.version() == 10 ? 10 : 11;
    req_.remote_ip = remote_ip_;
    req_.remote_port = remote_port_;
    req_.tls = kTls;
    for (const auto& field : msg) {
      req_.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    }
    // X-Forwarded-For only counts when the peer is a configured proxy.
    req_.remote_ip = Opt().trusted_proxies.ClientIp(remote_ip_, req_.headers);
    if (msg.version() != 10 && msg.version() != 11) {
      return Fail(400, "invalid_request", "unsupported HTTP version");
    }
    // RFC 9112 6.3: a request whose Transfer-Encoding does not end in chunked
    // has no reliable length; Beast 1.74 would read it as bodiless and parse
    // the body as the next request (a smuggling vector).
    if (msg.count(bhttp::field::transfer_encoding) && !parser_->chunked()) {
      return Fail(400, "invalid_request", "unsupported Transfer-Encoding");
    }
    if (req_.target.empty() || req_.target[0] != '/') {
      return Fail(400, "invalid_request", "request-target must be an absolute path");
    }
    std::string_view target = req_.target;
    size_t q = target.find('?');
    std::string_view raw_path = target.substr(0, q);
    if (q != std::string_view::npos) req_.raw_query = std::string(target.substr(q + 1));
    auto path = PercentDecode(raw_path);
    if (!path.ok()) return Fail(400, "invalid_request", "malformed path");
    req_.path = std::move(path).value();
    auto query = ParseQuery(req_.raw_query);
    if (!query.ok()) return Fail(400, "invalid_request", "malformed query string");
    req_.query = std::move(query).value();

    match_ = shared_->router->Lookup(req_.method, raw_path);
    size_t limit = Router::kUnroutedBodyBytes;
    if (match_.kind == Router::Match::Kind::kFound) {
      route_ = match_.route;
      limit = std::min(route_->options.max_body_bytes, Opt().max_body_bytes);
      req_.path_params = std::move(match_.path_params);
    }
    if (auto cl = parser_->content_length(); cl && *cl > limit) {
      return Fail(413, "request_too_large", "the request body is too large");
    }
    parser_->body_limit(limit);
    if (parser_->is_done()) return Dispatch();

    auto expect = req_.Header("expect");
    if (expect && EqualsIgnoreCase(*expect, "100-continue") && req_.http_version == 11) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      phase_ = Phase::kWrite;
      Arm(Opt().body_timeout);
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = this->shared_from_this()](error_code ec, size_t) {
                          self->Disarm();
                          if (ec || self->phase_ == Phase::kClosed) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    phase_ = Phase::kBody;
    Arm(Opt().body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](error_code ec, size_t) {
                        self->Disarm();
                        self->OnBody(ec);
                      });
  }

  void OnBody(error_code ec) {
    if (phase_ == Phase::kClosed) return;
    if (timed_out_)
      return Fail(408, "request_timeout", "the request body was not received in time");
    if (ec == bhttp::error::body_limit) {
      return Fail(413, "request_too_large", "the request body is too large");
    }
    if (ec) {
      if (IsParseError(ec)) return Fail(400, "invalid_request", "malformed request body");
      return Close();
    }
    Dispatch();
  }

  void Dispatch() {
    auto& msg = parser_->get();
    req_.body = std::move(msg.body());
    ++served_;
    keep_alive_ = msg.keep_alive() && served_ < Opt().max_requests_per_connection;
    phase_ = Phase::kHandler;

    switch (match_.kind) {
      case Router::Match::Kind::kNotFound:
        return Respond(Response::Error(404, "not_found", "no such resource"));
      case Router::Match::Kind::kMethodNotAllowed: {
        Response r = Response::Error(405, "method_not_allowed", "method not allowed here");
        r.SetHeader("Allow", match_.allow);
        return Respond(std::move(r));
      }
      case Router::Match::Kind::kFound: break;
    }
    if (const auto& guard = shared_->router->guard()) {
      std::optional<Response> refused;
      try {
        refused = guard(req_);
      } catch (const std::exception& e) {
        LogHandlerException(e.what());
        refused = InternalError();
      }
      if (refused) return Respond(std::move(*refused));
    }

    if (route_->handler) {
      std::optional<Response> response;
      try {
        response = route_->handler(req_);
      } catch (const std::exception& e) {
        LogHandlerException(e.what());
      } catch (...) {
        LogHandlerException("non-standard exception");
      }
      if (!response) response = InternalError();
      return RespondGated(std::move(*response));
    }

    // Async: the shared state answers 500 if the handler drops Done uncalled,
    // and makes sure only the first answer counts.
    struct DoneState {
      std::shared_ptr<Session> session;
      std::atomic<bool> called{false};
      // The session reference moves into the posted handler, so it is released
      // on the I/O thread (or with the io_context at shutdown), never by
      // whichever thread drops `done` last: a handler's worker thread that
      // outlived the server once destroyed a session whose timer service was
      // already gone (UBSan, http_test).
      // The response gate is asked here, on the handler's thread, so a held
      // answer goes from the gate straight to the I/O thread (one hand-off
      // fewer than asking on the I/O thread).
      void Deliver(Response r) {
        if (called.exchange(true)) return;
        std::shared_ptr<Session> s = std::move(session);
        const ResponseGate& gate = s->Opt().response_gate;
        if (!gate.is_open || gate.is_open()) return PostAnswer(std::move(s), std::move(r));
        gate.when_open([s = std::move(s), r = std::move(r)]() mutable {
          PostAnswer(std::move(s), std::move(r));
        });
      }
      ~DoneState() {
        if (!called.exchange(true)) {
          std::shared_ptr<Session> s = std::move(session);
          auto executor = s->Executor();
          asio::post(executor, [s = std::move(s)] { s->DeliverAsync(InternalError()); });
        }
      }
    };
    auto state = std::make_shared<DoneState>();
    state->session = this->shared_from_this();
    Done done = [state](Response r) { state->Deliver(std::move(r)); };
    try {
      route_->async_handler(req_, std::move(done));
    } catch (const std::exception& e) {
      LogHandlerException(e.what());
      state->Deliver(InternalError());
    } catch (...) {
      LogHandlerException("non-standard exception");
      state->Deliver(InternalError());
    }
  }

  static Response InternalError() {
    return Response::Error(500, "server_error", "the server encountered an internal error");
  }

  void LogHandlerException(const char* what) {
    log::Error("http_handler_exception",
               {{"request_id", req_.request_id}, {"path", req_.path}, {"what", what}});
  }

  // An error produced by the layer before a request could be dispatched:
  // answer it with Connection: close, then linger and close.
  void Fail(int status, std::string_view code, std::string_view description) {
    keep_alive_ = false;
    if (req_.request_id.empty()) req_.request_id = shared_->NewRequestId();
    if (req_.http_version == 0) req_.http_version = 11;
    Respond(Response::Error(status, code, description));
  }

  // A synchronous handler's answer waits until the gate opens (the storage's
  // group commit made what the handler did durable); async answers ask the
  // gate in DoneState::Deliver. The session stays in kHandler meanwhile, so a
  // shutdown drain still counts the request as in flight.
  void RespondGated(Response r) {
    const ResponseGate& gate = Opt().response_gate;
    if (!gate.is_open || gate.is_open()) return Respond(std::move(r));
    gate.when_open([self = this->shared_from_this(), r = std::move(r)]() mutable {
      PostAnswer(std::move(self), std::move(r));
    });
  }

  // Hands an answer produced off the strand (an async handler, the response
  // gate) to the session's strand, where DeliverAsync writes it if the request
  // still waits for one.
  static void PostAnswer(std::shared_ptr<Session> s, Response r) {
    auto executor = s->Executor();
    asio::post(executor,
               [s = std::move(s), r = std::move(r)]() mutable { s->DeliverAsync(std::move(r)); });
  }

  void Respond(Response r) {
    if (phase_ == Phase::kClosed) return;
    bool close = !keep_alive_ || shutdown_seen_ || shared_->shutting_down.load();
    bool head = req_.method == "HEAD";

    res_ = {};
    res_.version(req_.http_version == 10 ? 10 : 11);
    res_.result(static_cast<unsigned>(r.status));
    for (auto& [name, value] : r.headers) {
      if (EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding") ||
          EqualsIgnoreCase(name, "connection")) {
        continue;
      }
      res_.insert(name, value);
    }
    res_.set(bhttp::field::content_length, std::to_string(r.body.size()));
    res_.set("X-Request-Id", req_.request_id);
    res_.set("X-Content-Type-Options", "nosniff");
    if (close) {
      res_.set(bhttp::field::connection, "close");
    } else if (req_.http_version == 10) {
      res_.set(bhttp::field::connection, "keep-alive");
    }
    size_t bytes = head ? 0 : r.body.size();
    if (!head) res_.body() = std::move(r.body);
    close_after_write_ = close;
    AccessLog(r.status, bytes);

    phase_ = Phase::kWrite;
    Arm(Opt().body_timeout);
    // The serializer is created over res_, whose explicit Content-Length we
    // keep even for HEAD (no prepare_payload, which would reset it).
    serializer_.emplace(res_);
    bhttp::async_write(stream_, *serializer_,
                       [self = this->shared_from_this()](error_code ec, size_t) {
                         self->Disarm();
                         self->serializer_.reset();
                         if (ec || self->phase_ == Phase::kClosed) return self->Close();
                         if (self->close_after_write_) return self->Linger();
                         self->ReadRequest();
                       });
  }

  void AccessLog(int status, size_t bytes) {
    if (!Opt().access_log) return;
    double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - started_).count();
    std::string members;
    members.reserve(256);
    members += "\"method\":\"" + log::JsonEscape(req_.method) + "\"";
    members += ",\"path\":\"" + log::JsonEscape(req_.path) + "\"";
    members += ",\"status\":" + std::to_string(status);
    members += ",\"bytes\":" + std::to_string(bytes);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", ms);
    members += ",\"duration_ms\":";
    members += buf;
    members += ",\"request_id\":\"" + log::JsonEscape(req_.request_id) + "\"";
    members += ",\"remote_ip\":\"" +
               log::JsonEscape(req_.remote_ip.empty() ? remote_ip_ : req_.remote_ip) + "\"";
    log::EventRaw(log::Level::kInfo, "http_request", members);
  }

  void Linger() {
    phase_ = Phase::kLinger;
    error_code ec;
    Sock().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    Arm(kLingerTime);
    LingerRead();
  }

  void LingerRead() {
    linger_buf_.resize(16 * 1024);
    Sock().async_read_some(
        asio::buffer(linger_buf_), [self = this->shared_from_this()](error_code ec, size_t n) {
          self->lingered_ += n;
          if (ec || self->phase_ != Phase::kLinger || self->lingered_ >= kLingerBytes) {
            return self->Close();
          }
          self->LingerRead();
        });
  }

  void Close() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    Disarm();
    error_code ec;
    Sock().shutdown(tcp::socket::shutdown_both, ec);
    Sock().close(ec);
  }

  std::shared_ptr<Shared> shared_;
  Stream stream_;
  asio::steady_timer timer_;
  uint64_t timer_gen_ = 0;
  Phase phase_ = Phase::kIdle;
  bool timed_out_ = false;
  bool shutdown_seen_ = false;
  bool keep_alive_ = false;
  bool close_after_write_ = false;
  size_t served_ = 0;
  size_t lingered_ = 0;
  std::string remote_ip_;
  uint16_t remote_port_ = 0;
  boost::beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  std::optional<bhttp::serializer<false, bhttp::string_body>> serializer_;
  std::vector<char> linger_buf_;
  Request req_;
  Router::Match match_;
  const Route* route_ = nullptr;
  SteadyClock::time_point started_ = SteadyClock::now();
};

// Over max_connections: a canned 503, then close; no parsing, no TLS.
void Reject(tcp::socket socket) {
  struct Rejection {
    explicit Rejection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
    tcp::socket socket;
    asio::steady_timer timer;
  };
  static const std::string kBody =
      R"({"error":"temporarily_unavailable","error_description":"too many connections"})";
  static const std::string kResponse =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(kBody.size()) +
      "\r\nConnection: close\r\nRetry-After: 1\r\nX-Content-Type-Options: nosniff\r\n\r\n" + kBody;
  auto r = std::make_shared<Rejection>(std::move(socket));
  r->timer.expires_after(kRejectTime);
  r->timer.async_wait([r](error_code ec) {
    if (!ec) r->socket.close(ec);
  });
  asio::async_write(r->socket, asio::buffer(kResponse), [r](error_code ec, size_t) {
    r->socket.shutdown(tcp::socket::shutdown_both, ec);
    r->socket.close(ec);
    r->timer.cancel();
  });
}

class ServerImpl final : public Server {
 public:
  ServerImpl(ServerOptions options, std::shared_ptr<const Router> router)
      : shared_(std::make_shared<Shared>()), acceptor_(asio::make_strand(ioc_)), retry_(ioc_) {
    shared_->options = std::move(options);
    shared_->router = std::move(router);
  }

  ~ServerImpl() override { Shutdown(std::chrono::milliseconds(0)); }

  Status InitTls() {
    const auto& o = shared_->options;
    if (o.tls_cert_file.empty()) return Status::Ok();
    tls_.emplace(ssl::context::tls_server);
    tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                      ssl::context::single_dh_use);
    error_code ec;
    tls_->use_certificate_chain_file(o.tls_cert_file, ec);
    if (ec)
      return InvalidArgument("cannot load TLS certificate " + o.tls_cert_file + ": " +
                             ec.message());
    tls_->use_private_key_file(o.tls_key_file, ssl::context::pem, ec);
    if (ec) return InvalidArgument("cannot load TLS key " + o.tls_key_file + ": " + ec.message());
    return Status::Ok();
  }

  Status Start() override {
    const auto& o = shared_->options;
    error_code ec;
    auto address = asio::ip::make_address(o.listen_address, ec);
    if (ec) return InvalidArgument("bad listen address: " + o.listen_address);
    tcp::endpoint endpoint(address, o.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return Internal("socket: " + ec.message());
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
    if (ec == asio::error::address_in_use) {
      return Unavailable("address in use: " + o.listen_address + ":" + std::to_string(o.port));
    }
    if (ec) return InvalidArgument("bind " + o.listen_address + ": " + ec.message());
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Internal("listen: " + ec.message());
    port_ = acceptor_.local_endpoint(ec).port();
    started_ = true;

    Accept();
    work_.emplace(ioc_.get_executor());
    for (int i = 0; i < o.io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
    log::Info("http_listening", {{"addr", o.listen_address + ":" + std::to_string(port_)},
                                 {"tls", tls_ ? "true" : "false"}});
    return Status::Ok();
  }

  uint16_t port() const override { return port_; }

  void Shutdown(std::chrono::milliseconds drain) override {
    std::lock_guard once(shutdown_mu_);
    if (done_) return;
    shared_->shutting_down = true;
    if (started_) {
      asio::post(acceptor_.get_executor(), [this] {
        error_code ec;
        acceptor_.close(ec);
        retry_.cancel();
      });
      for (auto& s : LiveSessions()) s->NotifyShutdown();
      auto deadline = SteadyClock::now() + drain;
      {
        std::unique_lock lock(shared_->mu);
        shared_->cv.wait_until(lock, deadline, [&] { return shared_->sessions.empty(); });
      }
      for (auto& s : LiveSessions()) s->ForceClose();
      {
        // Give force-closed sessions a moment to unwind on their strands.
        std::unique_lock lock(shared_->mu);
        shared_->cv.wait_for(lock, std::chrono::milliseconds(200),
                             [&] { return shared_->sessions.empty(); });
      }
      work_.reset();
      ioc_.stop();
      for (auto& t : threads_) t.join();
      threads_.clear();
    }
    {
      std::lock_guard lock(done_mu_);
      done_ = true;
    }
    done_cv_.notify_all();
  }

  void Wait() override {
    std::unique_lock lock(done_mu_);
    done_cv_.wait(lock, [&] { return done_; });
  }

 private:
  std::vector<std::shared_ptr<SessionBase>> LiveSessions() {
    std::vector<std::shared_ptr<SessionBase>> out;
    std::lock_guard lock(shared_->mu);
    for (auto& [ptr, weak] : shared_->sessions) {
      if (auto s = weak.lock()) out.push_back(std::move(s));
    }
    return out;
  }

  void Accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (ec) {
        // Usually EMFILE/ENFILE: back off briefly instead of spinning.
        log::Warn("http_accept_failed", {{"error", ec.message()}});
        retry_.expires_after(std::chrono::milliseconds(50));
        retry_.async_wait([this](error_code ec) {
          if (!ec && acceptor_.is_open()) Accept();
        });
        return;
      }
      if (shared_->active.load() >= shared_->options.max_connections) {
        if (tls_) {
          socket.close(ec);
        } else {
          Reject(std::move(socket));
        }
      } else {
        shared_->active.fetch_add(1);
        socket.set_option(tcp::no_delay(true), ec);
        if (tls_) {
          std::make_shared<Session<true>>(std::move(socket), &*tls_, shared_)->Start();
        } else {
          std::make_shared<Session<false>>(std::move(socket), nullptr, shared_)->Start();
        }
      }
      Accept();
    });
  }

  std::shared_ptr<Shared> shared_;
  asio::io_context ioc_;
  std::optional<ssl::context> tls_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  // Keeps the I/O threads running until Shutdown stops them: once the acceptor
  // is closed, a session waiting for an async handler (or for the response
  // gate) has no I/O pending, and without the guard run() would return and
  // leave its answer, or the forced close, unrun.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  bool started_ = false;

  std::mutex shutdown_mu_;
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<Server>> CreateBeastServer(ServerOptions options,
                                                  std::shared_ptr<const Router> router) {
  auto server = std::make_unique<ServerImpl>(std::move(options), std::move(router));
  GH_RETURN_IF_ERROR(server->InitTls());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace gatehouse::http::beast_impl
