#include "oauth/client_registry.h"

#include <gtest/gtest.h>

#include "core/base64url.h"
#include "oauth/test_env.h"
#include "oauth/token_hash.h"

namespace gatehouse::oauth {
namespace {

using testing::OAuthEnv;

http::Request BasicAuth(const std::string& id, const std::string& secret) {
  http::Request r;
  r.headers.emplace("Authorization", "Basic " + Base64Encode(id + ":" + secret));
  return r;
}

http::Params Form(std::initializer_list<std::pair<std::string, std::string>> pairs) {
  http::Params p;
  for (const auto& [k, v] : pairs) p.Add(k, v);
  return p;
}

TEST(ClientRegistryTest, ConfidentialClientGetsSecretStoredHashed) {
  OAuthEnv env;
  auto created = env.WebClient();
  EXPECT_EQ(created.client.client_id.size(), 32u);
  EXPECT_EQ(created.client_secret.size(), 43u);
  EXPECT_EQ(created.client.secret_hash, HashToken(created.client_secret));
  auto rec = env.storage->records().Get("client", created.client.client_id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->data.find(created.client_secret), std::string::npos);
  EXPECT_EQ(created.client.ToJson().dump().find(created.client.secret_hash), std::string::npos);

  auto got = env.clients->Get(created.client.client_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "web");
  EXPECT_EQ(got->callbacks, created.client.callbacks);
  EXPECT_EQ(got->version, 1);
}

TEST(ClientRegistryTest, SpaAndNativeArePublicWithoutSecret) {
  OAuthEnv env;
  auto spa = env.SpaClient();
  EXPECT_TRUE(spa.client.IsPublic());
  EXPECT_EQ(spa.client_secret, "");
  EXPECT_EQ(spa.client.secret_hash, "");
}

TEST(ClientRegistryTest, RejectsInvalidSpecs) {
  OAuthEnv env;
  auto bad = [&](auto mutate) {
    Client c;
    c.name = "x";
    mutate(c);
    return env.clients->Create(c).status().code();
  };
  EXPECT_EQ(bad([](Client& c) { c.name = ""; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.app_type = "desktop"; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.token_endpoint_auth_method = "private_key_jwt"; }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.callbacks = {"https://a.example/cb#frag"}; }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.callbacks = {"/relative"}; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.grant_types = {"implicit"}; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) {
              c.app_type = "non_interactive";
              c.token_endpoint_auth_method = "none";
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) {
              c.app_type = "spa";
              c.grant_types = {"client_credentials"};
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.client_metadata = {{"k", 1}}; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.management_scopes = {"read:users delete:users"}; }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.id_token_signed_response_alg = "HS256"; }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad([](Client& c) { c.id_token_signed_response_alg = "none"; }),
            ErrorCode::kInvalidArgument);
}

TEST(ClientRegistryTest, ListUpdateDelete) {
  OAuthEnv env;
  auto a = env.WebClient();
  auto b = env.SpaClient();
  auto list = env.clients->List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);

  Client edit = a.client;
  edit.name = "renamed";
  auto updated = env.clients->Update(edit);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->secret_hash, a.client.secret_hash);  // unchanged by Update
  // A stale version loses the compare-and-set.
  EXPECT_EQ(env.clients->Update(edit).status().code(), ErrorCode::kConflict);

  ASSERT_TRUE(env.clients->Delete(b.client.client_id).ok());
  EXPECT_EQ(env.clients->Get(b.client.client_id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(env.clients->Delete(b.client.client_id).code(), ErrorCode::kNotFound);
}

TEST(ClientRegistryTest, RotateSecretKillsTheOldOne) {
  OAuthEnv env;
  auto a = env.WebClient();
  auto rotated = env.clients->RotateSecret(a.client.client_id);
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(rotated->client_secret, a.client_secret);
  http::Params none;
  EXPECT_FALSE(
      env.clients->Authenticate(BasicAuth(a.client.client_id, a.client_secret), none).ok());
  EXPECT_TRUE(
      env.clients->Authenticate(BasicAuth(a.client.client_id, rotated->client_secret), none).ok());
  auto spa = env.SpaClient();
  EXPECT_EQ(env.clients->RotateSecret(spa.client.client_id).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(ClientAuthenticationTest, BasicAndPostAndNone) {
  OAuthEnv env;
  auto basic = env.WebClient();
  Client post_spec;
  post_spec.name = "post";
  post_spec.token_endpoint_auth_method = "client_secret_post";
  auto post = env.MakeClient(post_spec);
  auto spa = env.SpaClient();
  const auto& bid = basic.client.client_id;
  const auto& pid = post.client.client_id;
  const auto& sid = spa.client.client_id;

  http::Request plain;
  auto ok = [&](const http::Request& r, const http::Params& f) {
    return env.clients->Authenticate(r, f).ok();
  };
  auto code = [&](const http::Request& r, const http::Params& f) {
    return env.clients->Authenticate(r, f).status().code();
  };

  EXPECT_TRUE(ok(BasicAuth(bid, basic.client_secret), {}));
  // client_id repeated in the body is tolerated when it names the same client.
  EXPECT_TRUE(ok(BasicAuth(bid, basic.client_secret), Form({{"client_id", bid}})));
  EXPECT_TRUE(ok(plain, Form({{"client_id", pid}, {"client_secret", post.client_secret}})));
  EXPECT_TRUE(ok(plain, Form({{"client_id", sid}})));

  const auto kUnauth = ErrorCode::kUnauthenticated;
  EXPECT_EQ(code(BasicAuth(bid, "wrong"), {}), kUnauth);
  EXPECT_EQ(code(BasicAuth("nobody", "x"), {}), kUnauth);
  EXPECT_EQ(code(plain, Form({{"client_id", pid}, {"client_secret", "wrong"}})), kUnauth);
  EXPECT_EQ(code(plain, Form({{"client_id", "nobody"}, {"client_secret", "x"}})), kUnauth);
  // Either secret method works for a confidential client (Auth0 behaves so).
  EXPECT_TRUE(ok(BasicAuth(pid, post.client_secret), {}));
  EXPECT_TRUE(ok(plain, Form({{"client_id", bid}, {"client_secret", basic.client_secret}})));
  EXPECT_EQ(code(plain, Form({{"client_id", bid}})), kUnauth);  // confidential without secret
  // A public client sending a secret.
  EXPECT_EQ(code(plain, Form({{"client_id", sid}, {"client_secret", "anything"}})), kUnauth);
  EXPECT_EQ(code(BasicAuth(sid, ""), {}), kUnauth);
  // Two methods at once.
  EXPECT_EQ(code(BasicAuth(bid, basic.client_secret), Form({{"client_secret", "x"}})), kUnauth);
  EXPECT_EQ(code(BasicAuth(bid, basic.client_secret), Form({{"client_id", pid}})), kUnauth);
  // Nothing at all, or garbage.
  EXPECT_EQ(code(plain, {}), kUnauth);
  http::Request garbage;
  garbage.headers.emplace("Authorization", "Basic !!!");
  EXPECT_EQ(code(garbage, {}), kUnauth);
  http::Request bearer;
  bearer.headers.emplace("Authorization", "Bearer abc");
  EXPECT_EQ(code(bearer, {}), kUnauth);
}

TEST(ClientAuthenticationTest, BasicCredentialsAreFormDecoded) {
  OAuthEnv env;
  auto basic = env.WebClient();
  // base64url secrets contain '-' and '_', which survive encoding unchanged;
  // a percent-encoded id must decode to the same client.
  std::string encoded_id;
  for (char c : basic.client.client_id) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
    encoded_id += buf;
  }
  EXPECT_TRUE(env.clients->Authenticate(BasicAuth(encoded_id, basic.client_secret), {}).ok());
}

}  // namespace
}  // namespace gatehouse::oauth
