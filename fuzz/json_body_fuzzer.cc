// Token/revocation endpoint bodies (oauth/request_body.h) as JSON and as
// forms. Invariant: an accepted body never yields a parameter twice.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "http/request.h"
#include "oauth/request_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (const char* type : {"application/json", "application/x-www-form-urlencoded",
                           "application/json; charset=utf-8"}) {
    gatehouse::http::Request req;
    req.method = "POST";
    req.headers.emplace("Content-Type", type);
    req.body.assign(reinterpret_cast<const char*>(data), size);
    auto params = gatehouse::oauth::ParseEndpointBody(req);
    if (!params.ok()) continue;
    std::set<std::string> seen;
    for (const auto& [name, value] : *params) {
      if (!seen.insert(name).second) __builtin_trap();
    }
  }
  return 0;
}
