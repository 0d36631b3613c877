#pragma once
// The issuer of a request (SPEC §1): "https://<host>/" for the Host header the
// flow ran on, or "http://<host:port>/" when the server itself serves plain
// HTTP. The Host was already checked against the configured domains (421).

#include <string>

#include "http/request.h"

namespace gatehouse::oauth {

std::string IssuerFor(const http::Request& request);

}  // namespace gatehouse::oauth
