#include "rules/outcome_builder.h"

#include <gtest/gtest.h>

namespace gatehouse::rules {
namespace {

TEST(OutcomeBuilder, ContextGetsTenantProtocolAndTokenObjects) {
  ExecutionInput input;
  input.tenant = "acme";
  input.protocol = "oauth2-password";
  input.context = {{"clientID", "c1"}, {"idToken", "not an object"}};
  auto c = ContextJson(input);
  EXPECT_EQ(c["tenant"], "acme");
  EXPECT_EQ(c["protocol"], "oauth2-password");
  EXPECT_EQ(c["clientID"], "c1");
  EXPECT_EQ(c["idToken"], nlohmann::json::object());
  EXPECT_EQ(c["accessToken"], nlohmann::json::object());
  input.auth0_domain = "id.acme.test";
  EXPECT_EQ(Auth0Json(input)["baseUrl"], "https://id.acme.test");
}

TEST(OutcomeBuilder, DeniesAndFails) {
  ExecutionInput input;
  Outcome o;
  BuildOutcome(
      {{"user", {}}, {"context", {}}, {"error", {{"code", "unauthorized"}, {"message", "no"}}}},
      input, o);
  EXPECT_EQ(o.kind, OutcomeKind::kDeny);
  EXPECT_EQ(o.error_code, "unauthorized");
  EXPECT_EQ(o.error_description, "no");

  Outcome f;
  BuildOutcome({{"user", {}},
                {"context", {}},
                {"error", {{"code", "server_error"}, {"message", "too much recursion"}}}},
               input, f);
  EXPECT_EQ(f.kind, OutcomeKind::kError);
  EXPECT_EQ(f.error_code, "server_error");
  EXPECT_EQ(f.error_description, "A rule failed to run.");
  EXPECT_NE(f.debug.find("too much recursion"), std::string::npos);

  Outcome g;
  BuildOutcome(nlohmann::json(), input, g);
  EXPECT_EQ(g.kind, OutcomeKind::kError);
}

TEST(OutcomeBuilder, RedirectNeedsAStringUrl) {
  ExecutionInput input;
  Outcome o;
  BuildOutcome({{"user", {}}, {"context", {{"redirect", {{"url", 5}}}}}, {"error", nullptr}}, input,
               o);
  EXPECT_EQ(o.kind, OutcomeKind::kError);
  Outcome ok;
  BuildOutcome({{"user", {}},
                {"context", {{"redirect", {{"url", "https://x.example/"}}}}},
                {"error", nullptr}},
               input, ok);
  EXPECT_EQ(ok.kind, OutcomeKind::kRedirect);
  EXPECT_EQ(ok.redirect_url, "https://x.example/");
}

}  // namespace
}  // namespace gatehouse::rules
