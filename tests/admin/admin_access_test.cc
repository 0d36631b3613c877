// oauth/admin_access.h: who is an administrator, the built-in client, and the
// one exception to "no Management API audience at /authorize".

#include "oauth/admin_access.h"

#include <gtest/gtest.h>

#include "mgmt/mgmt_fixture.h"
#include "oauth/authorize_request.h"

namespace gatehouse::oauth {
namespace {

TEST(AdminAccessTest, OnlyABooleanTrueFlagOnAnUnblockedUserIsAdmin) {
  EXPECT_TRUE(IsAdminUser({{"app_metadata", {{"gatehouse_admin", true}}}}));
  EXPECT_FALSE(IsAdminUser({{"app_metadata", {{"gatehouse_admin", false}}}}));
  EXPECT_FALSE(IsAdminUser({{"app_metadata", {{"gatehouse_admin", "true"}}}}));
  EXPECT_FALSE(IsAdminUser({{"app_metadata", {{"gatehouse_admin", 1}}}}));
  EXPECT_FALSE(IsAdminUser({{"user_metadata", {{"gatehouse_admin", true}}}}))
      << "users can write their own user_metadata";
  EXPECT_FALSE(IsAdminUser({{"app_metadata", nlohmann::json::object()}}));
  EXPECT_FALSE(IsAdminUser({{"blocked", true}, {"app_metadata", {{"gatehouse_admin", true}}}}));
  EXPECT_FALSE(IsAdminUser(nullptr));
}

TEST(AdminAccessTest, ManagementAudience) {
  EXPECT_TRUE(IsManagementAudience("https://id.example.com/api/v2/"));
  EXPECT_FALSE(IsManagementAudience("https://id.example.com/api/v2"));
  EXPECT_FALSE(IsManagementAudience("https://api.example.com/"));
  EXPECT_FALSE(IsManagementAudience(""));
}

TEST(AdminAccessTest, SpecIsAPublicCodeOnlyClientWithOneCallbackPerDomain) {
  Client c = AdminClientSpec({"id.example.com", "login.example.org:8443"}, true, {"read:users"});
  EXPECT_EQ(c.client_id, "gatehouse-admin");
  EXPECT_TRUE(c.IsPublic());
  EXPECT_EQ(c.grant_types, std::vector<std::string>{"authorization_code"});
  EXPECT_EQ(c.callbacks, (std::vector<std::string>{"https://id.example.com/admin/",
                                                   "https://login.example.org:8443/admin/"}));
  EXPECT_EQ(AdminClientSpec({"127.0.0.1:8080"}, false, {}).callbacks,
            std::vector<std::string>{"http://127.0.0.1:8080/admin/"});
}

class EnsureAdminClientTest : public mgmt::testing::MgmtTest {};

TEST_F(EnsureAdminClientTest, CreatesWithTheFixedIdThenFollowsTheDomains) {
  ASSERT_TRUE(
      EnsureAdminClient(*storage_, *clients_, AdminClientSpec({"a.example.com"}, true, {"x"}))
          .ok());
  auto first = clients_->Get(kAdminClientId);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->callbacks, std::vector<std::string>{"https://a.example.com/admin/"});
  ASSERT_TRUE(
      EnsureAdminClient(*storage_, *clients_, AdminClientSpec({"b.example.com"}, true, {"x"}))
          .ok());
  auto second = clients_->Get(kAdminClientId);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->callbacks, std::vector<std::string>{"https://b.example.com/admin/"});
  EXPECT_EQ(second->created_at_ms, first->created_at_ms);
  EXPECT_EQ(second->management_scopes, std::vector<std::string>{"x"});
}

TEST_F(EnsureAdminClientTest, OnlyTheAdminClientMayAskForTheManagementAudience) {
  ASSERT_TRUE(EnsureAdminClient(*storage_, *clients_,
                                AdminClientSpec({"id.example.com"}, true, {"read:rules"}))
                  .ok());
  auto params = [](const std::string& client_id, const std::string& redirect) {
    http::Params p;
    p.Add("client_id", client_id);
    p.Add("redirect_uri", redirect);
    p.Add("response_type", "code");
    p.Add("code_challenge", std::string(43, 'a'));
    p.Add("code_challenge_method", "S256");
    p.Add("audience", "https://id.example.com/api/v2/");
    return p;
  };
  auto admin =
      ValidateAuthorizeRequest(params(kAdminClientId, "https://id.example.com/admin/"), *clients_);
  ASSERT_TRUE(std::holds_alternative<AuthorizeRequest>(admin));
  EXPECT_EQ(std::get<AuthorizeRequest>(admin).audience, "https://id.example.com/api/v2/");

  Client spa;
  spa.name = "spa";
  spa.app_type = "spa";
  spa.callbacks = {"https://spa.example.com/cb"};
  auto created = clients_->Create(spa);
  ASSERT_TRUE(created.ok());
  auto other = ValidateAuthorizeRequest(
      params(created->client.client_id, "https://spa.example.com/cb"), *clients_);
  ASSERT_TRUE(std::holds_alternative<RedirectAuthorizeError>(other));
  EXPECT_EQ(std::get<RedirectAuthorizeError>(other).error.error, "access_denied");
}

}  // namespace
}  // namespace gatehouse::oauth
