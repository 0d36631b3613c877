#pragma once
// The native functions the prelude (js/prelude.js) builds the rule globals on.
// They reach the worker through the NativeHost set as the context private.

#include <jsapi.h>

#include <string>

namespace gatehouse::rules::sm {

// What natives need from the worker running the current execution. All calls
// happen on that worker's thread.
class NativeHost {
 public:
  virtual ~NativeHost() = default;
  virtual void Log(const std::string& level, const std::string& text) = 0;
  virtual int SetTimer(double delay_ms) = 0;
  virtual void ClearTimer(int id) = 0;
  // Starts a host operation ("user_metadata" | "app_metadata"); returns its id,
  // later settled through the pipeline object's settle(id, error).
  virtual int StartHostOp(const std::string& kind, const std::string& user_id,
                          const std::string& json) = 0;
  // Starts an outbound HTTP request (JSON: method, url, headers [[n, v]],
  // body, timeout ms); settled like a host operation, with the response JSON
  // (status, url, headers, body) as the value.
  virtual int StartFetch(const std::string& request_json) = 0;
  virtual void RuleDone(bool failed) = 0;
  // Charges ArrayBuffer bytes to the execution. False when over the cap (the
  // execution is then being stopped).
  virtual bool ChargeArrayBytes(double bytes) = 0;
  // CommonJS loading; on failure these set a JS exception and return false/null.
  virtual bool ResolveModule(JSContext* cx, const std::string& request, const std::string& from,
                             std::string* filename) = 0;
  virtual JSObject* CompileModule(JSContext* cx, const std::string& filename) = 0;
  virtual bool ReadModuleText(JSContext* cx, const std::string& filename, std::string* text) = 0;
};

// Defines the natives as methods of `target`. False with a pending exception
// on failure.
bool DefineNatives(JSContext* cx, JS::HandleObject target);

}  // namespace gatehouse::rules::sm
