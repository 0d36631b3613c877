#include "oauth/authorization_code.h"

#include <gtest/gtest.h>

#include "oauth/code_record.h"
#include "oauth/test_env.h"
#include "oauth/token_hash.h"

namespace gatehouse::oauth {
namespace {

using testing::OAuthEnv;

TEST(AuthorizationCodeTest, StoredHashedWithSixtySecondLifetime) {
  OAuthEnv env;
  CodeGrant g;
  g.client_id = "c";
  g.user_id = "auth0|u";
  g.redirect_uri = "https://app/cb";
  g.scope = "openid";
  g.nonce = "n";
  g.auth_time = 123;
  g.user = {{"email", "a@b.c"}};
  auto code = IssueAuthorizationCode(*env.storage, env.random, env.clock, g);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->size(), 43u);
  EXPECT_EQ(env.storage->records().Get(kCodeKind, *code).status().code(), ErrorCode::kNotFound);
  auto rec = env.storage->records().Get(kCodeKind, HashToken(*code));
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(*rec->expires_at, env.clock.NowSeconds() + 60);
  auto back = CodeGrant::FromJson(nlohmann::json::parse(rec->data));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->ToJson(), g.ToJson());

  env.clock.Advance(std::chrono::seconds(60));
  EXPECT_EQ(env.storage->records().Get(kCodeKind, HashToken(*code)).status().code(),
            ErrorCode::kNotFound);
}

TEST(AuthorizationCodeTest, FromJsonRejectsWrongShapes) {
  EXPECT_FALSE(CodeGrant::FromJson(nlohmann::json::array()).ok());
  EXPECT_FALSE(CodeGrant::FromJson({{"client_id", 1}, {"user_id", "u"}}).ok());
  EXPECT_FALSE(CodeGrant::FromJson({{"client_id", "c"}}).ok());
}

}  // namespace
}  // namespace gatehouse::oauth
