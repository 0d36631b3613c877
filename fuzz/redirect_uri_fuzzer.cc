// redirect_uri matching and validation (oauth/redirect_uri.h,
// authorize_request.h) and the rule redirect URL (flow/redirect_url.h).
// Invariants: a web client accepts exactly its registered strings, byte for
// byte; a URL a rule may redirect to stays free of CR/LF/space/backslash once
// the state is appended.
#include <cstddef>
#include <cstdint>
#include <string>

#include "flow/redirect_url.h"
#include "oauth/authorize_request.h"
#include "oauth/client.h"
#include "oauth/redirect_uri.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  static const oauth::Client web = [] {
    oauth::Client c;
    c.app_type = "regular_web";
    c.callbacks = {"https://app.example/cb", "http://127.0.0.1:3000/cb"};
    return c;
  }();
  static const oauth::Client native = [] {
    oauth::Client c;
    c.app_type = "native";
    c.callbacks = {"http://127.0.0.1:3000/cb", "com.example.app:/cb"};
    return c;
  }();
  std::string uri(reinterpret_cast<const char*>(data), size);
  std::string why;
  (void)oauth::IsValidCallbackUrl(uri, &why);
  (void)oauth::IsLoopbackRedirect(uri);
  bool allowed = oauth::RedirectUriAllowed(web, uri);
  bool exact = uri == web.callbacks[0] || uri == web.callbacks[1];
  if (allowed != exact) __builtin_trap();
  if (oauth::RedirectUriAllowed(native, uri)) {
    for (char c : uri) {
      if (c == '\r' || c == '\n' || c == ' ' || c == '\\' || c == '@') __builtin_trap();
    }
  }
  for (bool allow_http : {false, true}) {
    if (!flow::ValidateRedirectUrl(uri, allow_http).ok()) continue;
    std::string out = flow::AppendStateParam(uri, "st~ate/+=&x");
    for (char c : out) {
      if (c == '\r' || c == '\n' || c == ' ' || c == '\\') __builtin_trap();
    }
  }
  return 0;
}
