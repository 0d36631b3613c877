#pragma once
// A tiny blocking HTTP/1.1 client over a raw socket, so server tests can send
// exact bytes (malformed, slow, pipelined) and read answers one by one.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::http::testing {

struct RawReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

class RawClient {
 public:
  // nullptr when the connection fails.
  static std::unique_ptr<RawClient> Connect(uint16_t port);
  ~RawClient();

  // Sends all bytes; false on error (e.g. the server closed).
  bool Send(std::string_view data);
  // Sends as much of `data` as the socket accepts within `timeout`; returns
  // the number of bytes sent (stops early on error or when the peer stalls).
  size_t SendUpTo(std::string_view data, std::chrono::milliseconds timeout);
  // Reads one response (Content-Length framed). nullopt on timeout/close first.
  std::optional<RawReply> Read(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                               bool head = false);
  // True when the server closes the connection (EOF or reset) within `timeout`;
  // any data received meanwhile is kept for Read().
  bool WaitClosed(std::chrono::milliseconds timeout);
  void Close();

 private:
  explicit RawClient(int fd) : fd_(fd) {}
  // Receives more bytes into buf_; returns false on timeout/EOF/error.
  bool Fill(std::chrono::steady_clock::time_point deadline);
  int fd_;
  std::string buf_;
  bool eof_ = false;
};

// "GET <path> HTTP/1.1\r\nHost: t\r\n<extra>\r\n"
std::string Get(std::string_view path, std::string_view extra_headers = "");

}  // namespace gatehouse::http::testing
