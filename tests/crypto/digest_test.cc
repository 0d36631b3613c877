#include "crypto/digest.h"

#include <gtest/gtest.h>

#include "crypto/hex.h"

namespace gatehouse::crypto {
namespace {

using testing::ToHex;

TEST(DigestTest, Sha2KnownAnswers) {
  // FIPS 180-2 "abc" vectors.
  EXPECT_EQ(ToHex(Digest(Hash::kSha256, "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Digest(Hash::kSha384, "abc")),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(ToHex(Digest(Hash::kSha512, "abc")),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(ToHex(Digest(Hash::kSha256, "")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(DigestTest, DigestSizes) {
  EXPECT_EQ(DigestSize(Hash::kSha256), 32u);
  EXPECT_EQ(DigestSize(Hash::kSha384), 48u);
  EXPECT_EQ(DigestSize(Hash::kSha512), 64u);
}

TEST(HmacTest, Rfc4231TestCase2) {
  const std::string key = "Jefe";
  const std::string data = "what do ya want for nothing?";
  EXPECT_EQ(ToHex(Hmac(Hash::kSha256, key, data)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(ToHex(Hmac(Hash::kSha384, key, data)),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
            "8e2240ca5e69e2c78b3239ecfab21649");
  EXPECT_EQ(ToHex(Hmac(Hash::kSha512, key, data)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
            "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

TEST(HmacTest, EmptyKeyAndDataAreNotErrors) {
  EXPECT_EQ(ToHex(Hmac(Hash::kSha256, "", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(ConstantTimeEqualsTest, ComparesBytes) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace gatehouse::crypto
