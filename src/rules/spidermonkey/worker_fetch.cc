// Worker::StartFetch: a rule's outbound HTTP request (fetch / request / axios),
// handed to HostCallbacks::Fetch with its timeout cut to what is left of the
// pipeline's time limit, so a slow upstream ends at that limit and its time is
// counted like any other time the rule takes.

#include <algorithm>
#include <chrono>
#include <string>

#include "rules/spidermonkey/worker.h"

namespace gatehouse::rules::sm {
namespace {

using nlohmann::json;

Result<FetchRequest> ParseFetchRequest(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j["url"].is_string()) return InvalidArgument("fetch: a URL is required");
  FetchRequest request;
  request.url = j["url"].get<std::string>();
  if (j["method"].is_string()) request.method = j["method"].get<std::string>();
  if (j["body"].is_string()) request.body = j["body"].get<std::string>();
  if (j["headers"].is_array()) {
    for (const auto& h : j["headers"]) {
      if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string()) {
        return InvalidArgument("fetch: headers must be name/value strings");
      }
      request.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    }
  }
  if (j["timeout"].is_number() && j["timeout"].get<double>() > 0) {
    request.timeout =
        std::chrono::milliseconds(static_cast<int64_t>(std::min(j["timeout"].get<double>(), 1e9)));
  }
  return request;
}

std::string ResponseJson(const FetchResponse& response) {
  json headers = json::array();
  for (const auto& [name, value] : response.headers) headers.push_back({name, value});
  json out = {{"status", response.status},
              {"url", response.url},
              {"headers", std::move(headers)},
              {"body", response.body}};
  // Bodies are not always UTF-8: invalid bytes become U+FFFD, as in Node.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

int Worker::StartFetch(const std::string& request_json) {
  int id = next_op_id_++;
  ++pending_ops_;
  uint64_t serial = serial_;
  auto complete = [this, serial, id](Status status, std::string value) {
    std::lock_guard lock(mu_);
    if (!running_ || serial != serial_) return;  // the execution is over
    completions_.push_back({serial, id, std::move(status), std::move(value)});
    wake_.notify_all();
  };
  auto request = ParseFetchRequest(request_json);
  if (!request.ok()) {
    complete(request.status(), "");
    return id;
  }
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline_ - std::chrono::steady_clock::now());
  if (remaining.count() <= 0) {
    Stop(StopReason::kTimeout);
    complete(Expired("the pipeline time limit is spent"), "");
    return id;
  }
  // When the pipeline's budget is what bounds the call, its timeout is the
  // pipeline's: the execution stops as at any other time limit, even if the
  // rule would catch the error and carry on.
  bool budget_bound = request->timeout.count() <= 0 || request->timeout >= remaining;
  if (budget_bound) request->timeout = remaining;
  if (!host_) {
    complete(Unavailable("no host"), "");
    return id;
  }
  host_->Fetch(*request, [this, serial, budget_bound, complete](Result<FetchResponse> response) {
    if (!response.ok()) {
      if (budget_bound && response.status().code() == ErrorCode::kExpired) {
        Interrupt(serial, StopReason::kTimeout);
      }
      complete(response.status(), "");
    } else {
      complete(Status::Ok(), ResponseJson(*response));
    }
  });
  // A call that ran into the pipeline's deadline ends the pipeline now, the
  // same way as a rule that is still running then, rather than letting the
  // rule carry on past the limit with a timeout error in hand.
  if (std::chrono::steady_clock::now() >= deadline_) Stop(StopReason::kTimeout);
  return id;
}

}  // namespace gatehouse::rules::sm
