#pragma once
// A tiny HTTP/1.1 upstream on an ephemeral 127.0.0.1 port for outbound-client
// tests: each connection gets one request, parsed just enough (request line,
// headers, Content-Length body), and a handler that writes whatever bytes it
// wants to the socket, so tests can stall, stream 100 MB or redirect.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace gatehouse::http::testing {

struct UpstreamRequest {
  std::string method;
  std::string target;                          // path and query as sent
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// What a handler writes to. Write returns false once the client has gone
// (closed or reset), so streaming handlers stop by themselves.
class UpstreamConnection {
 public:
  explicit UpstreamConnection(int fd, const std::atomic<bool>* stopping)
      : fd_(fd), stopping_(stopping) {}
  bool Write(std::string_view bytes);
  // Convenience: a complete response with Content-Length and Connection: close.
  bool Respond(int status, std::string_view body,
               const std::vector<std::pair<std::string, std::string>>& headers = {});
  // Blocks until the client closes the connection or the upstream stops; what
  // a stalled upstream does while the client's timeout runs.
  void WaitForClientClose();

 private:
  int fd_;
  const std::atomic<bool>* stopping_;
};

class FakeUpstream {
 public:
  using Handler = std::function<void(const UpstreamRequest&, UpstreamConnection&)>;
  // nullptr when the listening socket cannot be opened.
  static std::unique_ptr<FakeUpstream> Start(Handler handler);
  ~FakeUpstream();  // stops accepting and joins every connection thread

  uint16_t port() const { return port_; }
  std::string Url(std::string_view path) const;  // "http://127.0.0.1:<port><path>"
  // Requests received so far, in arrival order (thread-safe copy).
  std::vector<UpstreamRequest> requests() const;

 private:
  FakeUpstream(int fd, uint16_t port, Handler handler);
  void AcceptLoop();
  void Serve(int fd);

  int listen_fd_;
  uint16_t port_;
  Handler handler_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<UpstreamRequest> requests_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace gatehouse::http::testing
