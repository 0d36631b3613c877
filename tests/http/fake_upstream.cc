#include "http/fake_upstream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace gatehouse::http::testing {
namespace {

constexpr int kPollMs = 20;  // how often blocked loops look at `stopping`

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  size_t b = s.find_first_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b);
}

// Reads until `pred(buffer)` or EOF/stop; false on EOF/stop before pred.
template <typename Pred>
bool ReadUntil(int fd, const std::atomic<bool>& stopping, std::string& buffer, Pred pred) {
  char chunk[16384];
  while (!pred(buffer)) {
    if (stopping.load()) return false;
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, kPollMs);
    if (r < 0 && errno != EINTR) return false;
    if (r <= 0) continue;
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

bool UpstreamConnection::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    if (stopping_->load()) return false;
    pollfd p{fd_, POLLOUT, 0};
    int r = poll(&p, 1, kPollMs);
    if (r < 0 && errno != EINTR) return false;
    if (r <= 0) continue;
    if ((p.revents & (POLLERR | POLLHUP)) != 0) return false;
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool UpstreamConnection::Respond(int status, std::string_view body,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return Write(head) && Write(body);
}

void UpstreamConnection::WaitForClientClose() {
  std::string ignored;
  ReadUntil(fd_, *stopping_, ignored, [](const std::string&) { return false; });
}

std::unique_ptr<FakeUpstream> FakeUpstream::Start(Handler handler) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return nullptr;
  }
  return std::unique_ptr<FakeUpstream>(
      new FakeUpstream(fd, ntohs(addr.sin_port), std::move(handler)));
}

FakeUpstream::FakeUpstream(int fd, uint16_t port, Handler handler)
    : listen_fd_(fd), port_(port), handler_(std::move(handler)) {
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FakeUpstream::~FakeUpstream() {
  stopping_ = true;
  acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(connections_);
  }
  for (auto& t : threads) t.join();
  close(listen_fd_);
}

std::string FakeUpstream::Url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::vector<UpstreamRequest> FakeUpstream::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void FakeUpstream::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, kPollMs) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    connections_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FakeUpstream::Serve(int fd) {
  std::string buffer;
  bool got_head = ReadUntil(fd, stopping_, buffer, [](const std::string& b) {
    return b.find("\r\n\r\n") != std::string::npos;
  });
  if (!got_head) {
    close(fd);
    return;
  }
  size_t head_end = buffer.find("\r\n\r\n");
  UpstreamRequest request;
  std::string head = buffer.substr(0, head_end);
  size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  size_t sp1 = request_line.find(' ');
  size_t sp2 = request_line.rfind(' ');
  request.method = request_line.substr(0, sp1);
  request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      request.headers[Lower(line.substr(0, colon))] = Trim(line.substr(colon + 1));
    }
    pos = end + 2;
  }
  size_t length = std::strtoul(request.Header("content-length").c_str(), nullptr, 10);
  size_t body_start = head_end + 4;
  ReadUntil(fd, stopping_, buffer,
            [&](const std::string& b) { return b.size() >= body_start + length; });
  request.body = buffer.substr(std::min(body_start, buffer.size()), length);
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
  }
  UpstreamConnection connection(fd, &stopping_);
  handler_(request, connection);
  shutdown(fd, SHUT_WR);
  close(fd);
}

}  // namespace gatehouse::http::testing
