#include "oauth/request_body.h"

#include <nlohmann/json.hpp>
#include <set>

#include "http/headers.h"

namespace gatehouse::oauth {
namespace {

bool IsJson(const http::Request& request) {
  std::string type = http::ToLower(request.Header("Content-Type").value_or(""));
  auto semi = type.find(';');
  if (semi != std::string::npos) type.resize(semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  return type == "application/json";
}

}  // namespace

Result<http::Params> ParseEndpointBody(const http::Request& request) {
  http::Params params;
  if (IsJson(request)) {
    auto j = nlohmann::json::parse(request.body, nullptr, false);
    if (!j.is_object()) return InvalidArgument("The request body must be a JSON object");
    for (const auto& [k, v] : j.items()) {
      if (v.is_string()) {
        params.Add(k, v.get<std::string>());
      } else if (v.is_number() || v.is_boolean()) {
        params.Add(k, v.dump());
      } else if (!v.is_null()) {
        return InvalidArgument("Parameter " + k + " must be a string");
      }
    }
  } else {
    auto form = request.Form();
    if (!form.ok()) {
      return InvalidArgument(
          "The request body must be application/x-www-form-urlencoded or application/json");
    }
    params = std::move(*form);
  }
  std::set<std::string> seen;
  for (const auto& [k, v] : params) {
    if (!seen.insert(k).second) return InvalidArgument("Parameter sent more than once: " + k);
  }
  return params;
}

}  // namespace gatehouse::oauth
