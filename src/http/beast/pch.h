#pragma once
#include <utility>  // boost 1.74 asio/awaitable.hpp uses std::exchange without including it
// Precompiled header for the Beast translation unit (Beast + SSL is slow to parse).
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
