#include "flow/csrf.h"

#include <gtest/gtest.h>

namespace gatehouse::flow {
namespace {

TEST(CsrfTest, TokenVerifiesForItsTransactionAndBrowser) {
  std::string token = CsrfToken("key", "tx1", "browser1");
  EXPECT_EQ(token.size(), 43u) << "HMAC-SHA-256, base64url";
  EXPECT_TRUE(CsrfValid("key", "tx1", "browser1", token));
  EXPECT_EQ(token, CsrfToken("key", "tx1", "browser1")) << "deterministic: no server state";
}

TEST(CsrfTest, TokenIsBoundToKeyTransactionAndBrowser) {
  std::string token = CsrfToken("key", "tx1", "browser1");
  EXPECT_FALSE(CsrfValid("other", "tx1", "browser1", token));
  EXPECT_FALSE(CsrfValid("key", "tx2", "browser1", token));
  EXPECT_FALSE(CsrfValid("key", "tx1", "browser2", token));
}

TEST(CsrfTest, SplittingTheInputsDifferentlyGivesADifferentToken) {
  EXPECT_NE(CsrfToken("key", "ab", "c"), CsrfToken("key", "a", "bc"));
}

TEST(CsrfTest, MissingOrTamperedTokensFail) {
  std::string token = CsrfToken("key", "tx1", "browser1");
  EXPECT_FALSE(CsrfValid("key", "tx1", "browser1", ""));
  EXPECT_FALSE(CsrfValid("key", "tx1", "", CsrfToken("key", "tx1", "")))
      << "no browser cookie, no form";
  std::string tampered = token;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(CsrfValid("key", "tx1", "browser1", tampered));
  EXPECT_FALSE(CsrfValid("key", "tx1", "browser1", token + "A"));
  EXPECT_FALSE(CsrfValid("key", "tx1", "browser1", token.substr(1)));
}

}  // namespace
}  // namespace gatehouse::flow
