// POST /api/v2/rules/try: which rules run, validation, scopes. (What the
// rules do in a dry run is the engine's, covered by rules/try_rules tests and
// the admin e2e suite with SpiderMonkey.)

#include <gtest/gtest.h>

#include "mgmt/mgmt_fixture.h"

namespace gatehouse::mgmt::testing {
namespace {

class RulesTryTest : public MgmtTest {
 protected:
  std::string CreateRule(const std::string& name, int order, bool enabled) {
    auto r = Api("POST", "/api/v2/rules",
                 {{"name", name},
                  {"script", "function (u, c, cb) { cb(null, u, c); }"},
                  {"order", order},
                  {"enabled", enabled}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r).value("id", "");
  }
  static std::vector<std::string> Names(const http::Response& r) {
    std::vector<std::string> out;
    const nlohmann::json body = Body(r);
    for (const auto& rule : body["rules"]) out.push_back(rule["name"]);
    return out;
  }
};

TEST_F(RulesTryTest, WithoutARuleRunsTheEnabledPipelineInOrder) {
  CreateRule("second", 2, true);
  CreateRule("first", 1, true);
  CreateRule("off", 0, false);
  auto r = Api("POST", "/api/v2/rules/try", nlohmann::json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Body(r).contains("outcome"));
  EXPECT_EQ(Names(r), (std::vector<std::string>{"first", "second"}));
}

TEST_F(RulesTryTest, OneStoredRuleEvenWhenDisabled) {
  std::string id = CreateRule("off", 1, false);
  auto r = Api("POST", "/api/v2/rules/try", {{"rule_id", id}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Names(r), std::vector<std::string>{"off"});
  ExpectError(Api("POST", "/api/v2/rules/try", {{"rule_id", "rul_nope"}}), 404, "inexistent_rule");
}

TEST_F(RulesTryTest, TheEditorsUnsavedScriptAndItsCompileError) {
  auto ok = Api("POST", "/api/v2/rules/try",
                {{"name", "draft"}, {"script", "function (u, c, cb) { cb(null, u, c); }"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Names(ok), std::vector<std::string>{"draft"});
  auto bad = Api("POST", "/api/v2/rules/try", {{"script", "SYNTAX"}});
  ExpectError(bad, 400, "invalid_body");
  EXPECT_NE(Body(bad)["message"].get<std::string>().find("(line 2)"), std::string::npos);
  EXPECT_TRUE(storage_->rules().List()->empty()) << "nothing is stored";
}

TEST_F(RulesTryTest, BodyIsValidated) {
  ExpectError(Api("POST", "/api/v2/rules/try", {{"surprise", 1}}), 400, "invalid_body");
  ExpectError(Api("POST", "/api/v2/rules/try", {{"user", "jane"}}), 400, "invalid_body");
  ExpectError(Api("POST", "/api/v2/rules/try", {{"context", nlohmann::json::array()}}), 400,
              "invalid_body");
  ExpectError(Api("POST", "/api/v2/rules/try", {{"user_id", "auth0|nobody"}}), 404,
              "inexistent_user");
}

TEST_F(RulesTryTest, ItRunsCodeSoItNeedsUpdateRulesAndReadUsersForAStoredUser) {
  ExpectError(Api("POST", "/api/v2/rules/try", nlohmann::json::object(), TokenFor({"read:rules"})),
              403, "insufficient_scope");
  std::string user_id = CreateUser("jane@example.com");
  std::string token = TokenFor({"update:rules"});
  EXPECT_EQ(Api("POST", "/api/v2/rules/try", nlohmann::json::object(), token).status, 200);
  ExpectError(Api("POST", "/api/v2/rules/try", {{"user_id", user_id}}, token), 403,
              "insufficient_scope");
  auto r = Api("POST", "/api/v2/rules/try", {{"user_id", user_id}});
  EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace gatehouse::mgmt::testing
