// Authentication and authorization of the Management API: 401/403 in Auth0's shape.

#include "jose/jwt.h"
#include "mgmt/mgmt_fixture.h"

namespace gatehouse::mgmt::testing {
namespace {

class MgmtAuthTest : public MgmtTest {};

TEST_F(MgmtAuthTest, NoTokenIs401MissingAuthentication) {
  auto r = Raw("GET", "/api/v2/users");
  ExpectError(r, 401, "");
  EXPECT_EQ(Body(r)["error"], "Unauthorized");
  EXPECT_EQ(Body(r)["message"], "Missing authentication");
}

TEST_F(MgmtAuthTest, NonBearerSchemeIs401) {
  ExpectError(Raw("GET", "/api/v2/users", "", {{"Authorization", "Basic abc"}}), 401,
              "invalid_token");
}

TEST_F(MgmtAuthTest, GarbageTokenIs401) {
  auto r = Api("GET", "/api/v2/users", nullptr, "not.a.jwt");
  ExpectError(r, 401, "invalid_token");
  EXPECT_EQ(Body(r)["message"], "Invalid token");
}

TEST_F(MgmtAuthTest, ExpiredTokenIs401) {
  clock_.Advance(std::chrono::hours(25));  // access tokens live 24 h
  auto r = Api("GET", "/api/v2/users");
  ExpectError(r, 401, "invalid_token");
  EXPECT_EQ(Body(r)["message"], "Expired token received for JSON Web Token validation");
}

TEST_F(MgmtAuthTest, TokenForAnotherAudienceIs401) {
  auto key = keys_->ActiveKey("RS256");
  ASSERT_TRUE(key.ok());
  nlohmann::json claims = {{"iss", kIssuer},
                           {"sub", "someone@clients"},
                           {"aud", std::string(kIssuer) + "userinfo"},
                           {"scope", "read:users"},
                           {"iat", clock_.NowSeconds()},
                           {"exp", clock_.NowSeconds() + 600}};
  auto jwt = jose::SignJwt(claims, *key);
  ASSERT_TRUE(jwt.ok());
  auto r = Api("GET", "/api/v2/users", nullptr, *jwt);
  ExpectError(r, 401, "invalid_token");
}

TEST_F(MgmtAuthTest, TokenFromAnotherIssuerIs401) {
  http::Request req;
  auto r = Raw("GET", "/api/v2/users", "", {{"Authorization", "Bearer " + admin_token_}});
  ASSERT_EQ(r.status, 200) << r.body;
  // The same token presented on another host name: iss no longer matches.
  http::Response other;
  {
    http::Request probe;
    probe.method = "GET";
    probe.path = probe.target = "/api/v2/users";
    probe.tls = true;
    probe.headers.emplace("Host", "other.example.com");
    probe.headers.emplace("Authorization", "Bearer " + admin_token_);
    auto match = router_->Lookup("GET", "/api/v2/users");
    ASSERT_EQ(match.kind, http::Router::Match::Kind::kFound);
    other = match.route->handler(probe);
  }
  ExpectError(other, 401, "invalid_token");
}

TEST_F(MgmtAuthTest, UserTokenWithManagementAudienceAndScopesIs401) {
  // What a user could get from /authorize by asking for this audience and scope.
  auto key = keys_->ActiveKey("RS256");
  ASSERT_TRUE(key.ok());
  nlohmann::json claims = {{"iss", kIssuer},
                           {"sub", "auth0|someone"},
                           {"aud", {kAudience, std::string(kIssuer) + "userinfo"}},
                           {"scope", "openid read:users delete:users"},
                           {"iat", clock_.NowSeconds()},
                           {"exp", clock_.NowSeconds() + 600}};
  auto jwt = jose::SignJwt(claims, *key, {{"kid", key->kid()}});
  ASSERT_TRUE(jwt.ok());
  ExpectError(Api("GET", "/api/v2/users", nullptr, *jwt), 401, "invalid_token");
}

TEST_F(MgmtAuthTest, DeletedClientOrWithdrawnScopeTakesEffectAtOnce) {
  std::string token = TokenFor({"read:users", "read:rules"});
  const std::string id = last_client_id_;
  ASSERT_EQ(Api("GET", "/api/v2/users", nullptr, token).status, 200);
  auto c = clients_->Get(id);
  ASSERT_TRUE(c.ok());
  c->management_scopes = {"read:rules"};
  ASSERT_TRUE(clients_->Update(*c).ok());
  ExpectError(Api("GET", "/api/v2/users", nullptr, token), 403, "insufficient_scope");
  EXPECT_EQ(Api("GET", "/api/v2/rules", nullptr, token).status, 200);
  ASSERT_TRUE(clients_->Delete(id).ok());
  ExpectError(Api("GET", "/api/v2/rules", nullptr, token), 401, "invalid_token");
}

TEST_F(MgmtAuthTest, TamperedSignatureIs401) {
  std::string t = admin_token_;
  t.back() = t.back() == 'A' ? 'B' : 'A';
  ExpectError(Api("GET", "/api/v2/users", nullptr, t), 401, "invalid_token");
}

struct ScopedRoute {
  const char* method;
  const char* path;
  const char* scope;
};

TEST_F(MgmtAuthTest, EachResourceAndVerbNeedsItsScope) {
  const ScopedRoute routes[] = {
      {"GET", "/api/v2/users", "read:users"},
      {"POST", "/api/v2/users", "create:users"},
      {"GET", "/api/v2/users/auth0|x", "read:users"},
      {"PATCH", "/api/v2/users/auth0|x", "update:users"},
      {"DELETE", "/api/v2/users/auth0|x", "delete:users"},
      {"GET", "/api/v2/users-by-email?email=a@b.c", "read:users"},
      {"GET", "/api/v2/rules", "read:rules"},
      {"POST", "/api/v2/rules", "create:rules"},
      {"GET", "/api/v2/rules/rul_1", "read:rules"},
      {"PATCH", "/api/v2/rules/rul_1", "update:rules"},
      {"DELETE", "/api/v2/rules/rul_1", "delete:rules"},
      {"GET", "/api/v2/rules-configs", "read:rules_configs"},
      {"PUT", "/api/v2/rules-configs/KEY", "update:rules_configs"},
      {"DELETE", "/api/v2/rules-configs/KEY", "delete:rules_configs"},
      {"GET", "/api/v2/clients", "read:clients"},
      {"POST", "/api/v2/clients", "create:clients"},
      {"GET", "/api/v2/clients/abc", "read:clients"},
      {"PATCH", "/api/v2/clients/abc", "update:clients"},
      {"DELETE", "/api/v2/clients/abc", "delete:clients"},
      {"POST", "/api/v2/clients/abc/rotate-secret", "update:clients"},
      {"GET", "/api/v2/logs", "read:logs"},
      {"GET", "/api/v2/logs/123", "read:logs"},
  };
  // A token with every scope except the one the route needs.
  for (const auto& route : routes) {
    std::vector<std::string> scopes;
    for (const auto& s : AllScopes()) {
      if (s != route.scope) scopes.push_back(s);
    }
    std::string token = TokenFor(scopes);
    auto r = Api(route.method, route.path, nlohmann::json::object(), token);
    SCOPED_TRACE(std::string(route.method) + " " + route.path);
    ExpectError(r, 403, "insufficient_scope");
    EXPECT_EQ(Body(r)["error"], "Forbidden");
    EXPECT_EQ(Body(r)["message"],
              std::string("Insufficient scope, expected any of: ") + route.scope);
  }
}

TEST_F(MgmtAuthTest, FailedCallsAreLoggedAsFapi) {
  Raw("GET", "/api/v2/users");
  storage::LogQuery q;
  q.type = "fapi";
  auto page = storage_->logs().Query(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);
}

}  // namespace
}  // namespace gatehouse::mgmt::testing
