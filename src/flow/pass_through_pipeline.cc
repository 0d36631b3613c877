#include "flow/pass_through_pipeline.h"

namespace gatehouse::flow {

void PassThroughPipeline::Run(oauth::LoginRequest request,
                              std::function<void(oauth::LoginOutcome)> done) {
  oauth::LoginOutcome outcome;
  outcome.kind = oauth::LoginOutcome::Kind::kContinue;
  outcome.user = std::move(request.user);
  outcome.scope = std::move(request.scope);
  done(std::move(outcome));
}

}  // namespace gatehouse::flow
