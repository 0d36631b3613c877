#pragma once
// The Beast/Asio implementation of http::Server. This header is Boost-free;
// only beast_server.cc includes Boost.

#include <memory>

#include "core/status.h"
#include "http/server.h"

namespace gatehouse::http::beast_impl {

// See Server::Create.
Result<std::unique_ptr<Server>> CreateBeastServer(ServerOptions options,
                                                  std::shared_ptr<const Router> router);

}  // namespace gatehouse::http::beast_impl
