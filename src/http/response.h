#pragma once
// An HTTP response built by handlers (no Boost types).

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/cookie.h"

namespace gatehouse::http {

// The server adds Content-Length, X-Request-Id, X-Content-Type-Options: nosniff
// and Connection itself (any Content-Length/Transfer-Encoding/Connection set
// here is replaced). It does not add caching headers: handlers decide those.
struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces every header with this name (case-insensitive) by one value.
  void SetHeader(std::string name, std::string value);
  // Appends a header, keeping existing ones with the same name.
  void AddHeader(std::string name, std::string value);
  // The first value of header `name` (case-insensitive), or "" when absent.
  std::string GetHeader(std::string_view name) const;
  void RemoveHeader(std::string_view name);
  // Appends a Set-Cookie header.
  void AddCookie(const SetCookie& cookie);

  static Response Json(int status, const nlohmann::json& body);  // application/json
  static Response Html(int status, std::string body);            // text/html; charset=utf-8
  static Response Text(int status, std::string body);            // text/plain; charset=utf-8
  // Location: `location`, empty body.
  static Response Redirect(std::string location, int status = 302);
  // The layer's error shape: {"error":code,"error_description":description}.
  static Response Error(int status, std::string_view code, std::string_view description);
};

}  // namespace gatehouse::http
