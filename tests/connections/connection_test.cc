// The connection model: API body validation, the write-only secret, and the
// record-backed repository over SQLite.

#include "connections/connection.h"

#include <gtest/gtest.h>

#include "connections/connection_repo.h"
#include "core/clock.h"
#include "crypto/secure_random.h"
#include "storage/sqlite_temp.h"

namespace gatehouse::connections {
namespace {

using nlohmann::json;

json Body() {
  return {{"name", "upstream-idp"},
          {"strategy", "oidc"},
          {"enabled_clients", {"client-a"}},
          {"options",
           {{"issuer", "https://idp.example/"},
            {"client_id", "gatehouse"},
            {"client_secret", "s3cret-value"},
            {"claim_mapping", {{"nickname", "preferred_username"}}}}}};
}

TEST(ConnectionBody, CreateAppliesEveryField) {
  Connection c;
  ASSERT_TRUE(ApplyApiBody(Body(), true, c).ok());
  EXPECT_EQ(c.name, "upstream-idp");
  EXPECT_EQ(c.issuer, "https://idp.example/");
  EXPECT_EQ(c.client_secret, "s3cret-value");
  EXPECT_TRUE(c.pkce);
  EXPECT_FALSE(c.link_by_verified_email);  // off unless asked for
  EXPECT_EQ(c.claim_mapping.at("nickname"), "preferred_username");
  EXPECT_TRUE(c.EnabledFor("client-a"));
  EXPECT_FALSE(c.EnabledFor("client-b"));
  EXPECT_EQ(c.DiscoveryUrl(), "https://idp.example/.well-known/openid-configuration");
}

TEST(ConnectionBody, TheSecretNeverLeavesThroughTheApiShape) {
  Connection c;
  ASSERT_TRUE(ApplyApiBody(Body(), true, c).ok());
  json api = c.ToApi();
  EXPECT_EQ(api["strategy"], "oidc");
  EXPECT_EQ(api["options"]["client_id"], "gatehouse");
  EXPECT_FALSE(api["options"].contains("client_secret"));
  EXPECT_EQ(api.dump().find("s3cret-value"), std::string::npos);
}

TEST(ConnectionBody, RefusesBadInput) {
  auto refused = [](json body, bool creating = true) {
    Connection c;
    if (!creating) ASSERT_TRUE(ApplyApiBody(Body(), true, c).ok());
    Status s = ApplyApiBody(body, creating, c);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << body.dump();
  };
  json b = Body();
  b["strategy"] = "samlp";
  refused(b);
  b = Body();
  b["name"] = "bad name!";
  refused(b);
  b = Body();
  b["options"].erase("client_id");
  refused(b);
  b = Body();
  b["options"].erase("issuer");
  refused(b);
  b = Body();
  b["options"]["issuer"] = "http://idp.example/";  // plain http off loopback
  refused(b);
  b = Body();
  b["options"]["scopes"] = "profile email";  // without openid there is no ID token
  refused(b);
  b = Body();
  b["options"]["unknown"] = true;
  refused(b);
  b = Body();
  b["enabled_clients"] = "client-a";
  refused(b);
  refused(json{{"name", "renamed"}}, false);
}

TEST(ConnectionBody, PatchKeepsWhatItDoesNotName) {
  Connection c;
  ASSERT_TRUE(ApplyApiBody(Body(), true, c).ok());
  ASSERT_TRUE(ApplyApiBody(json{{"options", {{"is_social", true}}}}, false, c).ok());
  EXPECT_TRUE(c.is_social);
  EXPECT_EQ(c.client_secret, "s3cret-value");
  EXPECT_EQ(c.client_id, "gatehouse");
}

class ConnectionRepoTest : public ::testing::Test {
 protected:
  ConnectionRepoTest() : storage_(storage::testing::OpenTempSqlite(clock_)) {}
  FakeClock clock_;
  std::unique_ptr<storage::Storage> storage_;
};

TEST_F(ConnectionRepoTest, CreateGetListUpdateDelete) {
  ConnectionRepo repo(storage_->records(), crypto::SecureRandom::Instance());
  Connection c;
  ASSERT_TRUE(ApplyApiBody(Body(), true, c).ok());
  auto created = repo.Create(c);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->id.rfind("con_", 0), 0u);
  EXPECT_EQ(repo.Create(c).status().code(), ErrorCode::kAlreadyExists);

  auto by_id = repo.GetById(created->id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->client_secret, "s3cret-value");
  EXPECT_EQ(repo.EnabledFor("client-a")->size(), 1u);
  EXPECT_EQ(repo.EnabledFor("client-b")->size(), 0u);

  Connection changed = *by_id;
  changed.display_name = "Upstream";
  ASSERT_TRUE(repo.Update(changed).ok());
  EXPECT_EQ(repo.Update(changed).status().code(), ErrorCode::kConflict);  // stale version
  EXPECT_EQ(repo.GetByName("upstream-idp")->display_name, "Upstream");

  ASSERT_TRUE(repo.Delete(created->id).ok());
  EXPECT_EQ(repo.GetByName("upstream-idp").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(repo.Delete(created->id).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(repo.List()->empty());
}

}  // namespace
}  // namespace gatehouse::connections
