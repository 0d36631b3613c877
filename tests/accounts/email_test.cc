#include "accounts/email.h"

#include <gtest/gtest.h>

namespace gatehouse::accounts {
namespace {

TEST(EmailTest, TrimsAndLowercases) {
  auto e = NormalizeEmail("  Ada.Lovelace+X@Example.COM\t");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, "ada.lovelace+x@example.com");
}

TEST(EmailTest, RefusesMalformedAddresses) {
  for (const char* bad : {"", "   ", "plain", "@example.com", "ada@", "a@b@c.com",
                          "a b@example.com", "a@exa mple.com", "a@.example.com", "a@example.com.",
                          "a@example..com", "a\x01@example.com"}) {
    auto r = NormalizeEmail(bad);
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().message(), "Invalid email address.");
    }
  }
}

TEST(EmailTest, LengthLimitIs254Bytes) {
  std::string local(64, 'a');
  std::string ok = local + "@" + std::string(254 - 65 - 4, 'b') + ".com";
  ASSERT_EQ(ok.size(), 254u);
  EXPECT_TRUE(NormalizeEmail(ok).ok());
  EXPECT_FALSE(NormalizeEmail("c" + ok).ok());
}

}  // namespace
}  // namespace gatehouse::accounts
