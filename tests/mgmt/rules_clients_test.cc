// /api/v2/rules, /rules-configs, /clients.

#include "mgmt/mgmt_fixture.h"

namespace gatehouse::mgmt::testing {
namespace {

class MgmtRulesTest : public MgmtTest {};

constexpr char kScript[] = "function (user, context, callback) { callback(null, user, context); }";

TEST_F(MgmtRulesTest, CrudWithOrderAndEnabled) {
  auto r =
      Api("POST", "/api/v2/rules", {{"name", "add-claims"}, {"script", kScript}, {"order", 2}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = Body(r)["id"];
  EXPECT_EQ(Body(r)["enabled"], true);
  EXPECT_EQ(Body(r)["stage"], "login_success");
  ASSERT_EQ(
      Api("POST", "/api/v2/rules", {{"name", "first"}, {"script", kScript}, {"order", 1}}).status,
      201);
  auto list = Body(Api("GET", "/api/v2/rules"));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["name"], "first");

  auto p = Api("PATCH", "/api/v2/rules/" + id, {{"enabled", false}, {"name", "renamed"}});
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(Body(p)["enabled"], false);
  EXPECT_EQ(Body(Api("GET", "/api/v2/rules/" + id))["name"], "renamed");
  EXPECT_EQ(Body(Api("GET", "/api/v2/rules?enabled=true")).size(), 1u);

  EXPECT_EQ(Api("DELETE", "/api/v2/rules/" + id).status, 204);
  ExpectError(Api("GET", "/api/v2/rules/" + id), 404, "inexistent_rule");
}

TEST_F(MgmtRulesTest, ScriptThatDoesNotCompileIsRefusedWithTheJsError) {
  auto r = Api("POST", "/api/v2/rules", {{"name", "broken"}, {"script", "function (SYNTAX"}});
  ExpectError(r, 400, "invalid_body");
  EXPECT_NE(Body(r)["message"].get<std::string>().find("SyntaxError"), std::string::npos);
  EXPECT_NE(Body(r)["message"].get<std::string>().find("(line 2)"), std::string::npos);
  EXPECT_TRUE(Body(Api("GET", "/api/v2/rules")).empty());
}

TEST_F(MgmtRulesTest, NameValidationDuplicatesAndUnknownFields) {
  ExpectError(Api("POST", "/api/v2/rules", {{"name", "bad/name"}, {"script", kScript}}), 400,
              "invalid_body");
  ExpectError(Api("POST", "/api/v2/rules", {{"script", kScript}}), 400, "invalid_body");
  ExpectError(Api("POST", "/api/v2/rules", {{"name", "x"}, {"script", kScript}, {"id", "rul_1"}}),
              400, "invalid_body");
  ASSERT_EQ(Api("POST", "/api/v2/rules", {{"name", "same"}, {"script", kScript}}).status, 201);
  ExpectError(Api("POST", "/api/v2/rules", {{"name", "same"}, {"script", kScript}}), 409,
              "conflict");
}

TEST_F(MgmtRulesTest, RulesConfigsValuesAreNeverReturned) {
  auto put = Api("PUT", "/api/v2/rules-configs/API_KEY", {{"value", "s3cret"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body.find("s3cret"), std::string::npos);
  auto list = Api("GET", "/api/v2/rules-configs");
  EXPECT_EQ(Body(list), nlohmann::json::array({{{"key", "API_KEY"}}}));
  EXPECT_EQ(list.body.find("s3cret"), std::string::npos);
  EXPECT_EQ(storage_->rules().AllConfig()->at("API_KEY"), "s3cret");
  ExpectError(Api("PUT", "/api/v2/rules-configs/API_KEY", {{"value", 5}}), 400, "invalid_body");
  ExpectError(Api("PUT", "/api/v2/rules-configs/bad%20key", {{"value", "x"}}), 400, "invalid_uri");
  EXPECT_EQ(Api("DELETE", "/api/v2/rules-configs/API_KEY").status, 204);
  ExpectError(Api("DELETE", "/api/v2/rules-configs/API_KEY"), 404, "inexistent_rules_config");
}

class MgmtClientsTest : public MgmtTest {};

TEST_F(MgmtClientsTest, SecretShownOnceAtCreationAndOnRotate) {
  auto r = Api(
      "POST", "/api/v2/clients",
      {{"name", "My App"}, {"app_type", "regular_web"}, {"callbacks", {"https://app.example/cb"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = Body(r)["client_id"];
  const std::string secret = Body(r)["client_secret"];
  EXPECT_FALSE(secret.empty());
  auto got = Api("GET", "/api/v2/clients/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_FALSE(Body(got).contains("client_secret"));
  EXPECT_EQ(got.body.find(secret), std::string::npos);
  for (const auto& c : Body(Api("GET", "/api/v2/clients")))
    EXPECT_FALSE(c.contains("client_secret"));

  auto rot = Api("POST", "/api/v2/clients/" + id + "/rotate-secret", nlohmann::json::object());
  ASSERT_EQ(rot.status, 200) << rot.body;
  EXPECT_NE(Body(rot)["client_secret"], secret);

  auto p = Api("PATCH", "/api/v2/clients/" + id, {{"name", "Renamed"}});
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(Body(p)["name"], "Renamed");
  ExpectError(Api("PATCH", "/api/v2/clients/" + id, {{"client_secret", "mine"}}), 400,
              "invalid_body");
  EXPECT_EQ(Api("DELETE", "/api/v2/clients/" + id).status, 204);
  ExpectError(Api("GET", "/api/v2/clients/" + id), 404, "inexistent_client");
}

TEST_F(MgmtClientsTest, InvalidClientSpecIs400) {
  ExpectError(Api("POST", "/api/v2/clients", {{"app_type", "spa"}}), 400, "invalid_body");
  ExpectError(Api("POST", "/api/v2/clients", {{"name", "x"}, {"app_type", "toaster"}}), 400,
              "invalid_body");
}

}  // namespace
}  // namespace gatehouse::mgmt::testing
