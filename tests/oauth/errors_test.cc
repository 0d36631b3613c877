#include "oauth/errors.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gatehouse::oauth {
namespace {

TEST(TokenErrorResponseTest, JsonBodyAndNoStore) {
  auto res = TokenErrorResponse({"invalid_grant", "bad code", "secret debug", 400});
  EXPECT_EQ(res.status, 400);
  auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["error"], "invalid_grant");
  EXPECT_EQ(body["error_description"], "bad code");
  EXPECT_EQ(res.body.find("secret debug"), std::string::npos);
  EXPECT_EQ(res.GetHeader("Cache-Control"), "no-store");
  EXPECT_EQ(res.GetHeader("Pragma"), "no-cache");
  EXPECT_EQ(res.GetHeader("WWW-Authenticate"), "");
}

TEST(TokenErrorResponseTest, InvalidClientGets401WithChallenge) {
  auto res = TokenErrorResponse({"invalid_client", "Client authentication failed", "", 401});
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(res.GetHeader("WWW-Authenticate").find("Basic"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::oauth
