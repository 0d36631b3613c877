#pragma once
// Management API error responses in Auth0's shape:
//   {"statusCode":403,"error":"Forbidden","message":"...","errorCode":"..."}
// The SDK reads these fields, so the shape is part of the contract.

#include <string>

#include "core/status.h"
#include "http/response.h"

namespace gatehouse::mgmt {

// `status` gives "error" (its HTTP reason phrase); message and errorCode as given.
http::Response ApiError(int status, const std::string& message, const std::string& error_code);

// A domain Status as an API error: InvalidArgument => 400 invalid_body (its
// message is public), NotFound => 404 with `not_found_message` and
// `not_found_code`, AlreadyExists => 409, Conflict/Unavailable => 503 (retry),
// anything else => 500 with a generic message (details only in the log).
http::Response StatusError(const Status& status, const std::string& not_found_message,
                           const std::string& not_found_code);

}  // namespace gatehouse::mgmt
