#include "http/response.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/headers.h"

namespace gatehouse::http {

void Response::SetHeader(std::string name, std::string value) {
  RemoveHeader(name);
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::AddHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::GetHeader(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return "";
}

void Response::RemoveHeader(std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

void Response::AddCookie(const SetCookie& cookie) { AddHeader("Set-Cookie", cookie.Serialize()); }

Response Response::Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.SetHeader("Content-Type", "application/json");
  return r;
}

Response Response::Html(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.SetHeader("Content-Type", "text/html; charset=utf-8");
  return r;
}

Response Response::Text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.SetHeader("Content-Type", "text/plain; charset=utf-8");
  return r;
}

Response Response::Redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.SetHeader("Location", std::move(location));
  return r;
}

Response Response::Error(int status, std::string_view code, std::string_view description) {
  return Json(status, {{"error", code}, {"error_description", description}});
}

}  // namespace gatehouse::http
