#include "rules/try_rules.h"

#include <gtest/gtest.h>

#include "rules/engine_fixture.h"

namespace gatehouse::rules {
namespace {

TEST(TryRules, RunsRulesAndReportsEverything) {
  std::vector<Rule> rules = {
      testing::MakeRule(R"(async function (user, context, callback) {
        console.log('hi', user.email);
        context.idToken['https://ex.example/plan'] = configuration.PLAN;
        await auth0.users.updateUserMetadata(user.user_id, { seen: true });
        callback(null, user, context);
      })",
                        "first"),
  };
  auto input = testing::DefaultInput();
  input.configuration = {{"PLAN", "pro"}};
  auto result = TryRules(testing::SharedEngine(), rules, input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto json = TryResultToJson(*result);
  EXPECT_EQ(json["outcome"], "continue");
  EXPECT_EQ(json["idTokenClaims"]["https://ex.example/plan"], "pro");
  EXPECT_EQ(json["console"][0]["text"], "hi ada@example.com");
  EXPECT_EQ(json["metadata_updates"][0]["patch"], nlohmann::json({{"seen", true}}));
  EXPECT_EQ(json["timings"][0]["rule"], "first");
}

TEST(TryRules, CompileErrorsNameTheRule) {
  auto result = TryRules(testing::SharedEngine(),
                         {testing::MakeRule("function (u, c, cb) { cb(null, u, c); }", "good"),
                          testing::MakeRule("function (u, c, cb) {\n\n  if ( {\n}", "broken")},
                         testing::DefaultInput());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("\"broken\""), std::string::npos);
  EXPECT_NE(result.status().message().find("line"), std::string::npos) << result.status().message();
}

TEST(TryRules, DenialIsAResultNotAnError) {
  auto result =
      TryRules(testing::SharedEngine(),
               {testing::MakeRule("function (u, c, cb) { cb(new UnauthorizedError('x')); }")},
               testing::DefaultInput());
  ASSERT_TRUE(result.ok());
  auto json = TryResultToJson(*result);
  EXPECT_EQ(json["outcome"], "deny");
  EXPECT_EQ(json["error"], "unauthorized");
}

}  // namespace
}  // namespace gatehouse::rules
