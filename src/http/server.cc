#include "http/server.h"

#include "http/beast/beast_server.h"

namespace gatehouse::http {

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options,
                                               std::shared_ptr<const Router> router) {
  if (!router) return InvalidArgument("router is required");
  if (options.io_threads < 1) return InvalidArgument("io_threads must be >= 1");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return InvalidArgument("tls_cert_file and tls_key_file must be set together");
  }
  if (options.max_connections < 1) return InvalidArgument("max_connections must be >= 1");
  if (options.max_requests_per_connection < 1) {
    return InvalidArgument("max_requests_per_connection must be >= 1");
  }
  return beast_impl::CreateBeastServer(std::move(options), std::move(router));
}

}  // namespace gatehouse::http
