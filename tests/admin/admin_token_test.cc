// The Management API accepts a user's token only from the admin dashboard's
// client and only while the user is an administrator (mgmt/auth.h).

#include <gtest/gtest.h>

#include "jose/jwt.h"
#include "mgmt/mgmt_fixture.h"
#include "oauth/admin_access.h"

namespace gatehouse::mgmt::testing {
namespace {

class AdminTokenTest : public MgmtTest {
 protected:
  void SetUp() override {
    MgmtTest::SetUp();
    ASSERT_TRUE(oauth::EnsureAdminClient(*storage_, *clients_,
                                         oauth::AdminClientSpec({kHost}, true, AllScopes()))
                    .ok());
    admin_id_ = CreateUser("admin@example.com");
    other_id_ = CreateUser("other@example.com");
    ASSERT_EQ(
        Api("PATCH", "/api/v2/users/" + admin_id_, {{"app_metadata", {{"gatehouse_admin", true}}}})
            .status,
        200);
  }

  // What /oauth/token mints for an authorization-code login (no gty).
  std::string UserToken(const std::string& sub, const std::string& azp, const std::string& scope) {
    auto key = keys_->ActiveKey("RS256");
    EXPECT_TRUE(key.ok());
    nlohmann::json claims = {{"iss", kIssuer},
                             {"sub", sub},
                             {"aud", {kAudience, std::string(kIssuer) + "userinfo"}},
                             {"azp", azp},
                             {"scope", scope},
                             {"iat", clock_.NowSeconds()},
                             {"exp", clock_.NowSeconds() + 600}};
    auto jwt = jose::SignJwt(claims, *key);
    EXPECT_TRUE(jwt.ok());
    return jwt.ok() ? *jwt : "";
  }

  std::string admin_id_, other_id_;
};

TEST_F(AdminTokenTest, AnAdministratorsDashboardTokenWorks) {
  auto r = Api("GET", "/api/v2/rules", nullptr,
               UserToken(admin_id_, oauth::kAdminClientId, "openid read:rules"));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(AdminTokenTest, ScopesStillBindTheToken) {
  auto r = Api("GET", "/api/v2/users", nullptr,
               UserToken(admin_id_, oauth::kAdminClientId, "openid read:rules"));
  ExpectError(r, 403, "insufficient_scope");
}

TEST_F(AdminTokenTest, ANonAdministratorIsRefused) {
  auto r = Api("GET", "/api/v2/rules", nullptr,
               UserToken(other_id_, oauth::kAdminClientId, "read:rules"));
  ExpectError(r, 401, "invalid_token");
}

TEST_F(AdminTokenTest, AnAdministratorsTokenFromAnotherClientIsRefused) {
  auto r =
      Api("GET", "/api/v2/rules", nullptr, UserToken(admin_id_, last_client_id_, "read:rules"));
  ExpectError(r, 401, "invalid_token");
}

TEST_F(AdminTokenTest, RevokingOrBlockingTakesEffectAtOnce) {
  std::string token = UserToken(admin_id_, oauth::kAdminClientId, "read:rules");
  ASSERT_EQ(Api("GET", "/api/v2/rules", nullptr, token).status, 200);
  ASSERT_EQ(Api("PATCH", "/api/v2/users/" + admin_id_, {{"blocked", true}}).status, 200);
  ExpectError(Api("GET", "/api/v2/rules", nullptr, token), 401, "invalid_token");
  ASSERT_EQ(Api("PATCH", "/api/v2/users/" + admin_id_, {{"blocked", false}}).status, 200);
  ASSERT_EQ(Api("GET", "/api/v2/rules", nullptr, token).status, 200);
  ASSERT_EQ(
      Api("PATCH", "/api/v2/users/" + admin_id_, {{"app_metadata", {{"gatehouse_admin", nullptr}}}})
          .status,
      200);
  ExpectError(Api("GET", "/api/v2/rules", nullptr, token), 401, "invalid_token");
}

TEST_F(AdminTokenTest, TheApiLogNamesTheAdministrator) {
  std::string token = UserToken(admin_id_, oauth::kAdminClientId, "update:users");
  ASSERT_EQ(
      Api("PATCH", "/api/v2/users/" + other_id_, {{"user_metadata", {{"a", 1}}}}, token).status,
      200);
  storage::LogQuery q;
  q.type = "sapi";
  q.user_id = admin_id_;
  auto page = storage_->logs().Query(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].client_id, oauth::kAdminClientId);
}

TEST_F(AdminTokenTest, ADeletedUserIsRefused) {
  std::string token = UserToken(admin_id_, oauth::kAdminClientId, "read:rules");
  ASSERT_EQ(Api("DELETE", "/api/v2/users/" + admin_id_).status, 204);
  ExpectError(Api("GET", "/api/v2/rules", nullptr, token), 401, "invalid_token");
}

}  // namespace
}  // namespace gatehouse::mgmt::testing
