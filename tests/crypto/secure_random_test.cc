#include "crypto/secure_random.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace gatehouse::crypto {
namespace {

TEST(SecureRandomTest, ReturnsRequestedLength) {
  auto& rng = SecureRandom::Instance();
  EXPECT_EQ(rng.Bytes(0).size(), 0u);
  EXPECT_EQ(rng.Bytes(1).size(), 1u);
  EXPECT_EQ(rng.Bytes(4096).size(), 4096u);
}

TEST(SecureRandomTest, OutputsDiffer) {
  auto& rng = SecureRandom::Instance();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(rng.Bytes(16));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(SecureRandomTest, IsASingletonUsableAsRandom) {
  Random& a = SecureRandom::Instance();
  Random& b = SecureRandom::Instance();
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(a.Token(32).size(), 43u);
  EXPECT_EQ(a.Hex(16).size(), 32u);
}

// Client ids are passed as command-line arguments; base64url ids once started
// with '-' (1 in 32) and were taken for a flag.
TEST(SecureRandomTest, AlphanumericIdsUseOnlyLettersAndDigits) {
  auto& rng = SecureRandom::Instance();
  std::set<char> used;
  for (int i = 0; i < 200; ++i) {
    std::string id = rng.Alphanumeric(32);
    ASSERT_EQ(id.size(), 32u);
    for (char c : id) {
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
      used.insert(c);
    }
  }
  EXPECT_EQ(used.size(), 62u);  // 6400 draws cover the alphabet
}

}  // namespace
}  // namespace gatehouse::crypto
