// /api/v2/users: create, get, list/search, patch (metadata merge, password,
// profile fields, refused fields), delete, by-email.

#include "mgmt/mgmt_fixture.h"

namespace gatehouse::mgmt::testing {
namespace {

class MgmtUsersTest : public MgmtTest {};

TEST_F(MgmtUsersTest, CreateGetDelete) {
  auto r = Api("POST", "/api/v2/users",
               {{"email", "ada@example.com"},
                {"password", "correct horse battery"},
                {"connection", accounts::kDatabaseConnection},
                {"name", "Ada"},
                {"user_metadata", {{"theme", "dark"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto created = Body(r);
  const std::string id = created["user_id"];
  EXPECT_EQ(id.rfind("auth0|", 0), 0u);
  EXPECT_EQ(created["user_metadata"]["theme"], "dark");
  EXPECT_FALSE(created.contains("password"));

  auto got = Api("GET", "/api/v2/users/" + http::UrlEncode(id));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Body(got)["email"], "ada@example.com");
  EXPECT_EQ(Body(got)["name"], "Ada");

  EXPECT_EQ(Api("DELETE", "/api/v2/users/" + http::UrlEncode(id)).status, 204);
  ExpectError(Api("GET", "/api/v2/users/" + http::UrlEncode(id)), 404, "inexistent_user");
  ExpectError(Api("DELETE", "/api/v2/users/" + http::UrlEncode(id)), 404, "inexistent_user");
}

TEST_F(MgmtUsersTest, CreateRefusals) {
  ExpectError(Api("POST", "/api/v2/users",
                  {{"email", "a@example.com"}, {"password", "correct horse battery"}}),
              400, "invalid_body");  // no connection
  ExpectError(Api("POST", "/api/v2/users",
                  {{"email", "a@example.com"},
                   {"password", "correct horse battery"},
                   {"connection", "google-oauth2"}}),
              400, "inexistent_connection");
  ExpectError(Api("POST", "/api/v2/users",
                  {{"email", "a@example.com"},
                   {"password", "correct horse battery"},
                   {"connection", accounts::kDatabaseConnection},
                   {"logins_count", 5}}),
              400, "invalid_body");
  CreateUser("dup@example.com");
  ExpectError(Api("POST", "/api/v2/users",
                  {{"email", "dup@example.com"},
                   {"password", "correct horse battery"},
                   {"connection", accounts::kDatabaseConnection}}),
              409, "auth0_idp_error");
}

TEST_F(MgmtUsersTest, ListPagingTotalsAndSearch) {
  for (int i = 0; i < 5; ++i) CreateUser("user" + std::to_string(i) + "@example.com");
  CreateUser("grace@navy.mil");
  auto all = Api("GET", "/api/v2/users?per_page=4&page=1&include_totals=true");
  ASSERT_EQ(all.status, 200) << all.body;
  auto j = Body(all);
  EXPECT_EQ(j["total"], 6);
  EXPECT_EQ(j["start"], 4);
  EXPECT_EQ(j["limit"], 4);
  EXPECT_EQ(j["users"].size(), 2u);

  auto plain = Api("GET", "/api/v2/users");
  ASSERT_TRUE(Body(plain).is_array());
  EXPECT_EQ(Body(plain).size(), 6u);

  auto search = Api("GET", "/api/v2/users?q=" + http::UrlEncode("email:\"grace@navy.mil\"") +
                               "&search_engine=v3");
  ASSERT_EQ(search.status, 200);
  ASSERT_EQ(Body(search).size(), 1u);
  EXPECT_EQ(Body(search)[0]["email"], "grace@navy.mil");

  const std::string grace = Body(search)[0]["user_id"];
  auto by_id = Api("GET", "/api/v2/users?q=" + http::UrlEncode("user_id:\"" + grace + "\""));
  ASSERT_EQ(Body(by_id).size(), 1u);
  EXPECT_EQ(Body(by_id)[0]["email"], "grace@navy.mil");
  EXPECT_TRUE(Body(Api("GET", "/api/v2/users?q=user_id%3Aauth0%7Cnobody")).empty());

  ExpectError(Api("GET", "/api/v2/users?per_page=101"), 400, "invalid_query_string");
}

TEST_F(MgmtUsersTest, UsersByEmail) {
  CreateUser("Ada@Example.com");
  auto r = Api("GET", "/api/v2/users-by-email?email=ada%40example.com");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(Body(r).size(), 1u);
  EXPECT_TRUE(Body(Api("GET", "/api/v2/users-by-email?email=no%40one.com")).empty());
  ExpectError(Api("GET", "/api/v2/users-by-email"), 400, "invalid_query_string");
}

TEST_F(MgmtUsersTest, PatchMergesMetadataTopLevel) {
  const std::string id = CreateUser("m@example.com");
  const std::string path = "/api/v2/users/" + http::UrlEncode(id);
  ASSERT_EQ(Api("PATCH", path,
                {{"user_metadata", {{"a", 1}, {"nested", {{"x", 1}, {"y", 2}}}, {"gone", true}}},
                 {"app_metadata", {{"plan", "free"}}}})
                .status,
            200);
  auto r = Api("PATCH", path,
               {{"user_metadata", {{"b", 2}, {"nested", {{"z", 3}}}, {"gone", nullptr}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto um = Body(r)["user_metadata"];
  EXPECT_EQ(um, nlohmann::json({{"a", 1}, {"b", 2}, {"nested", {{"z", 3}}}}));
  EXPECT_EQ(Body(r)["app_metadata"], nlohmann::json({{"plan", "free"}}));
}

TEST_F(MgmtUsersTest, PatchProfileFields) {
  const std::string id = CreateUser("p@example.com");
  auto r = Api("PATCH", "/api/v2/users/" + http::UrlEncode(id),
               {{"name", "New Name"},
                {"given_name", "New"},
                {"email_verified", true},
                {"blocked", true},
                {"email", "q@example.com"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = Body(r);
  EXPECT_EQ(j["name"], "New Name");
  EXPECT_EQ(j["given_name"], "New");
  EXPECT_EQ(j["email_verified"], true);
  EXPECT_EQ(j["blocked"], true);
  EXPECT_EQ(j["email"], "q@example.com");
}

TEST_F(MgmtUsersTest, PatchPasswordSetsLastPasswordReset) {
  const std::string id = CreateUser("pw@example.com");
  clock_.Advance(std::chrono::seconds(10));
  auto r =
      Api("PATCH", "/api/v2/users/" + http::UrlEncode(id),
          {{"password", "a whole new passphrase"}, {"connection", accounts::kDatabaseConnection}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Body(r).contains("last_password_reset"));
  EXPECT_TRUE(users_->Authenticate("pw@example.com", "a whole new passphrase", "1.2.3.4").ok());
  EXPECT_FALSE(users_->Authenticate("pw@example.com", "correct horse battery", "1.2.3.4").ok());
  ExpectError(Api("PATCH", "/api/v2/users/" + http::UrlEncode(id), {{"password", "short"}}), 400,
              "invalid_body");
}

TEST_F(MgmtUsersTest, PatchRefusesReadOnlyAndUnknownFieldsWritingNothing) {
  const std::string id = CreateUser("ro@example.com");
  const std::string path = "/api/v2/users/" + http::UrlEncode(id);
  for (const char* field : {"user_id", "created_at", "updated_at", "logins_count", "last_login",
                            "last_ip", "identities", "last_password_reset", "favourite"}) {
    SCOPED_TRACE(field);
    auto r = Api("PATCH", path, {{field, "x"}, {"name", "should not stick"}});
    ExpectError(r, 400, "invalid_body");
    EXPECT_NE(Body(r).value("message", "").find(field), std::string::npos);
  }
  EXPECT_NE(Body(Api("GET", path))["name"], "should not stick");
}

TEST_F(MgmtUsersTest, PatchAnotherUsersIdThroughTheBodyOrACraftedPathFails) {
  const std::string a = CreateUser("a@example.com");
  const std::string b = CreateUser("b@example.com");
  ExpectError(Api("PATCH", "/api/v2/users/" + http::UrlEncode(a), {{"user_id", b}}), 400,
              "invalid_body");
  // Path tricks: the id is one segment, taken literally.
  ExpectError(Api("PATCH", "/api/v2/users/" + http::UrlEncode(a + "/../" + b), {{"name", "x"}}),
              404, "inexistent_user");
  ExpectError(Api("PATCH", "/api/v2/users/" + http::UrlEncode(b + " "), {{"name", "x"}}), 404,
              "inexistent_user");
  EXPECT_EQ(Api("PATCH", "/api/v2/users/..%2F" + http::UrlEncode(b), {{"name", "x"}}).status, 404);
  EXPECT_NE(Body(Api("GET", "/api/v2/users/" + http::UrlEncode(b)))["name"], "x");
}

TEST_F(MgmtUsersTest, MetadataKeyWithDotOrDollarIs400) {
  const std::string id = CreateUser("dot@example.com");
  const std::string path = "/api/v2/users/" + http::UrlEncode(id);
  ExpectError(Api("PATCH", path, {{"user_metadata", {{"a.b", 1}}}}), 400, "invalid_body");
  ExpectError(Api("PATCH", path, {{"app_metadata", {{"$set", 1}}}}), 400, "invalid_body");
  ExpectError(Api("PATCH", path, {{"user_metadata", "not an object"}}), 400, "invalid_body");
}

TEST_F(MgmtUsersTest, InvalidJsonAndOversizeBody) {
  const std::string id = CreateUser("big@example.com");
  const std::string path = "/api/v2/users/" + http::UrlEncode(id);
  auto bad = ApiText("PATCH", path, "{\"name\": ");
  ExpectError(bad, 400, "invalid_body");
  EXPECT_EQ(Body(bad)["message"], "Invalid request payload JSON format");
  ExpectError(ApiText("PATCH", path, "[1,2]"), 400, "invalid_body");
  std::string huge = "{\"user_metadata\":{\"blob\":\"" + std::string(100 * 1024, 'x') + "\"}}";
  ExpectError(ApiText("PATCH", path, huge), 413, "payload_too_large");
  // Under the body limit but over the 16 KiB metadata limit.
  std::string big = "{\"user_metadata\":{\"blob\":\"" + std::string(20 * 1024, 'x') + "\"}}";
  ExpectError(ApiText("PATCH", path, big), 400, "invalid_body");
}

TEST_F(MgmtUsersTest, MutationsAreLoggedAsSapi) {
  CreateUser("log@example.com");
  storage::LogQuery q;
  q.type = "sapi";
  auto page = storage_->logs().Query(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->events[0].description, "Create a User");
  EXPECT_EQ(page->events[0].client_id, last_client_id_);
}

}  // namespace
}  // namespace gatehouse::mgmt::testing
