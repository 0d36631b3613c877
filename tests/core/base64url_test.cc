#include "core/base64url.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(Base64Url, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode(std::string("\xfb\xff", 2)), "-_8");
}

TEST(Base64Url, RoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t n = 0; n <= all.size(); n += 7) {
    auto in = all.substr(0, n);
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(in)), in);
  }
}

TEST(Base64Url, RejectsMalformedInput) {
  EXPECT_FALSE(Base64UrlDecode("Zg=="));    // padding
  EXPECT_FALSE(Base64UrlDecode("Zm9v+/"));  // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm 9v"));   // whitespace
  EXPECT_FALSE(Base64UrlDecode("Z"));       // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zh"));      // non-zero trailing bits ("Zg" is canonical)
  EXPECT_FALSE(Base64UrlDecode(std::string("Zg\0", 3)));
}

TEST(Base64, StandardPaddedRoundTrip) {
  EXPECT_EQ(Base64Encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode("dXNlcjpwYXNz"), "user:pass");
  EXPECT_FALSE(Base64Decode("Zg"));
  EXPECT_FALSE(Base64Decode("Zg=a"));
  EXPECT_FALSE(Base64Decode("-_8="));
}

}  // namespace
}  // namespace gatehouse
