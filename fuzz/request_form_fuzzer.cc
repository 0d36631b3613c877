// A Request as the server fills it: Cookie/Host/Content-Type headers and a
// body taken from the input (split on the first two NULs), read through the
// accessors handlers use (Form, Cookie, Host, Header).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t a = in.find('\0');
  size_t b = a == std::string_view::npos ? a : in.find('\0', a + 1);
  gatehouse::http::Request req;
  req.method = "POST";
  std::string_view content_type = in.substr(0, a);
  std::string_view cookie = a == std::string_view::npos ? "" : in.substr(a + 1, b - a - 1);
  std::string_view body = b == std::string_view::npos ? "" : in.substr(b + 1);
  req.headers.emplace("Content-Type", std::string(content_type));
  req.headers.emplace("Cookie", std::string(cookie));
  req.headers.emplace("Host", std::string(cookie.substr(0, 64)));
  req.body = std::string(body);
  (void)req.Form();
  (void)req.Cookie("gh_tx");
  (void)req.Host();
  (void)req.Header("content-type");
  return 0;
}
