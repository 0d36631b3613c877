#pragma once
// Storage slice: named server secrets (cookie keys, CSRF keys, ...), generated
// once and shared by every node that uses the same database.

#include <functional>
#include <string>

#include "core/status.h"

namespace gatehouse::storage {

class SecretRepo {
 public:
  virtual ~SecretRepo() = default;

  // Returns the secret `name`; if absent, stores `generate()` and returns it.
  // Racing first calls (threads or nodes) all return the same single winner's
  // value. `generate` may be called and its result discarded. Values are any
  // bytes. InvalidArgument (generate not called) unless `name` is 1..256 bytes
  // without NUL.
  virtual Result<std::string> GetOrCreate(const std::string& name,
                                          const std::function<std::string()>& generate) = 0;
};

}  // namespace gatehouse::storage
