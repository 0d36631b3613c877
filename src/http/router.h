#pragma once
// Method + path-pattern routing.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace gatehouse::http {

// Runs on an I/O thread: keep it short, hand slow work to another pool with
// an AsyncHandler. An exception escaping it becomes a logged 500.
using Handler = std::function<Response(Request&)>;
// Answers an async request. Callable from any thread; only the first call
// counts. If every copy is destroyed without being called, the client gets 500.
using Done = std::function<void(Response)>;
// The Request stays alive (owned by the connection) until Done is called.
using AsyncHandler = std::function<void(Request&, Done)>;

struct RouteOptions {
  size_t max_body_bytes = 64 * 1024;  // larger bodies (also chunked) => 413
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;  // exactly one of handler / async_handler is set
  AsyncHandler async_handler;
  RouteOptions options;
  std::vector<std::string> segments;  // pattern split on '/'
};

// Built at start-up, then read-only: concurrent Lookup() calls are safe, Add()
// must not run concurrently with anything.
//
// Patterns are absolute paths split on '/'. A segment ":name" matches any one
// non-empty path segment and captures it (percent-decoded) into path_params;
// a last segment "*name" matches the rest of the path (possibly empty).
// Other segments match the percent-decoded path segment exactly, so a
// trailing slash is a different path. When several patterns match, the one
// with more literal segments wins, then the one added first.
class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  void AddAsync(std::string method, std::string pattern, AsyncHandler handler,
                RouteOptions options = {});

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    const Route* route = nullptr;  // kFound only; points into the Router
    std::map<std::string, std::string> path_params;
    std::string allow;  // kMethodNotAllowed: "GET, HEAD, POST"
  };
  // Looks up `raw_path` (the request-target's path, still percent-encoded).
  // kNotFound when no pattern matches the path (or it has a malformed escape);
  // kMethodNotAllowed when a pattern matches but not for this method. HEAD
  // falls back to a GET route (the server drops the body).
  Match Lookup(std::string_view method, std::string_view raw_path) const;

  // A check run before every routed handler (sync or async), on the I/O
  // thread: returning a Response answers the request instead of the handler
  // (e.g. 421 for a Host the deployment does not serve). Set once at start-up.
  using Guard = std::function<std::optional<Response>(const Request&)>;
  void SetGuard(Guard guard) { guard_ = std::move(guard); }
  const Guard& guard() const { return guard_; }

  // Size limit that applies to requests that match no route (their bodies
  // are still read so the connection can be reused).
  static constexpr size_t kUnroutedBodyBytes = 64 * 1024;

 private:
  void AddRoute(Route route);
  std::vector<Route> routes_;
  Guard guard_;
};

}  // namespace gatehouse::http
