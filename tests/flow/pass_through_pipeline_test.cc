#include "flow/pass_through_pipeline.h"

#include <gtest/gtest.h>

namespace gatehouse::flow {
namespace {

TEST(PassThroughPipelineTest, ContinuesWithTheUserAndScopeUnchanged) {
  PassThroughPipeline pipeline;
  oauth::LoginRequest request;
  request.protocol = "oidc-basic-profile";
  request.user = {{"user_id", "auth0|1"}, {"email", "a@b.c"}};
  request.scope = "openid email";
  int calls = 0;
  oauth::LoginOutcome got;
  pipeline.Run(request, [&](oauth::LoginOutcome outcome) {
    ++calls;
    got = std::move(outcome);
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(got.kind, oauth::LoginOutcome::Kind::kContinue);
  EXPECT_EQ(got.user, request.user);
  EXPECT_EQ(got.scope, "openid email");
  EXPECT_EQ(got.id_token_claims, nlohmann::json::object());
  EXPECT_EQ(got.access_token_claims, nlohmann::json::object());
}

}  // namespace
}  // namespace gatehouse::flow
