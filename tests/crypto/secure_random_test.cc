#include "crypto/secure_random.h"

#include <gtest/gtest.h>

#include <set>

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

}  // namespace
}  // namespace gatehouse::crypto
