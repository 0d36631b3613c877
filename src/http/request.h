#pragma once
// An HTTP request as handlers see it (no Boost types).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/headers.h"
#include "http/params.h"

namespace gatehouse::http {

// Filled in by the server before the handler runs; handlers may read it from
// their own thread until they answer. Not thread-safe for concurrent writes.
struct Request {
  std::string method;     // as sent, e.g. "GET"
  std::string target;     // raw request-target, e.g. "/a%20b?x=1"
  std::string path;       // percent-decoded path, no query
  std::string raw_query;  // text after '?', undecoded ("" when none)
  Params query;           // raw_query parsed
  Headers headers;        // case-insensitive names
  std::string body;
  std::string remote_ip;
  uint16_t remote_port = 0;
  bool tls = false;
  std::string request_id;                          // random, also sent back as X-Request-Id
  std::map<std::string, std::string> path_params;  // from the matched route pattern
  int http_version = 11;                           // 10 or 11

  // The first value of header `name` (case-insensitive), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
  // Cookie `name` from the Cookie header(s): the first occurrence wins.
  std::optional<std::string> Cookie(std::string_view name) const;
  // The Host header lowercased, with its port if one was sent; "" when absent.
  std::string Host() const;
  // The body as application/x-www-form-urlencoded. InvalidArgument when the
  // Content-Type is not that media type (parameters such as charset are
  // allowed) or the body is malformed (see ParseQuery).
  Result<Params> Form() const;
};

}  // namespace gatehouse::http
