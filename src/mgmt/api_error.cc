#include "mgmt/api_error.h"

#include <nlohmann/json.hpp>

#include "core/logging.h"

namespace gatehouse::mgmt {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

http::Response ApiError(int status, const std::string& message, const std::string& error_code) {
  nlohmann::json body = {{"statusCode", status}, {"error", Reason(status)}, {"message", message}};
  if (!error_code.empty()) body["errorCode"] = error_code;
  http::Response res = http::Response::Json(status, body);
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

http::Response StatusError(const Status& status, const std::string& not_found_message,
                           const std::string& not_found_code) {
  switch (status.code()) {
    case ErrorCode::kInvalidArgument: return ApiError(400, status.message(), "invalid_body");
    case ErrorCode::kNotFound: return ApiError(404, not_found_message, not_found_code);
    case ErrorCode::kAlreadyExists: return ApiError(409, status.message(), "conflict");
    case ErrorCode::kConflict:
    case ErrorCode::kUnavailable:
      return ApiError(503, "The service is busy, retry later", "temporarily_unavailable");
    default:
      log::Error("mgmt_internal_error", {{"error", status.ToString()}});
      return ApiError(500, "Internal error", "internal_error");
  }
}

}  // namespace gatehouse::mgmt
