#pragma once
// The login pipeline until the rules issue: every login continues with the
// user, scope and claims unchanged.

#include "oauth/login_pipeline.h"

namespace gatehouse::flow {

// Thread-safe; calls `done` synchronously on the caller's thread.
class PassThroughPipeline final : public oauth::LoginPipeline {
 public:
  void Run(oauth::LoginRequest request, std::function<void(oauth::LoginOutcome)> done) override;
};

}  // namespace gatehouse::flow
