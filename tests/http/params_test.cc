#include "http/params.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

TEST(ParseQuery, DecodesPlusAndPercent) {
  auto p = ParseQuery("a=hello+world&b=%41%2b%2F&c=%e2%9c%93");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("a"), "hello world");
  EXPECT_EQ(p->Get("b"), "A+/");
  EXPECT_EQ(p->Get("c"), "\xe2\x9c\x93");
  EXPECT_EQ(p->size(), 3u);
}

TEST(ParseQuery, RepeatedKeysKeepOrder) {
  auto p = ParseQuery("scope=a&x=1&scope=b");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("scope"), "a");
  EXPECT_EQ(p->GetAll("scope"), (std::vector<std::string>{"a", "b"}));
  std::vector<std::string> names;
  for (const auto& [n, v] : *p) names.push_back(n);
  EXPECT_EQ(names, (std::vector<std::string>{"scope", "x", "scope"}));
}

TEST(ParseQuery, EmptyValuesAndSegments) {
  auto p = ParseQuery("a=&b&&c=1&");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->size(), 3u);
  EXPECT_EQ(p->Get("a"), "");
  EXPECT_EQ(p->Get("b"), "");
  EXPECT_TRUE(p->Has("b"));
  EXPECT_FALSE(p->Has("d"));
  EXPECT_EQ(p->Get("d"), std::nullopt);
  EXPECT_TRUE(p->GetAll("d").empty());
  EXPECT_EQ(ParseQuery("")->size(), 0u);
}

TEST(ParseQuery, ValueMayContainEquals) {
  auto p = ParseQuery("a=b=c");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("a"), "b=c");
}

TEST(ParseQuery, NamesAreCaseSensitive) {
  auto p = ParseQuery("A=1");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->Has("a"));
}

TEST(ParseQuery, RejectsBadEscapes) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=1&b=%G0"}) {
    auto p = ParseQuery(bad);
    EXPECT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(ParseQuery, RejectsNul) {
  EXPECT_FALSE(ParseQuery("a=%00").ok());
  EXPECT_FALSE(ParseQuery("%00=1").ok());
  EXPECT_FALSE(ParseQuery(std::string_view("a=\0", 3)).ok());
}

TEST(PercentDecode, KeepsPlus) {
  EXPECT_EQ(PercentDecode("a+b%20c").value(), "a+b c");
  EXPECT_FALSE(PercentDecode("%").ok());
}

TEST(UrlEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(UrlEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UrlEncode("a b+c/d?e=f&g"), "a%20b%2Bc%2Fd%3Fe%3Df%26g");
  EXPECT_EQ(UrlEncode("\xe2\x9c\x93"), "%E2%9C%93");
  EXPECT_EQ(UrlEncode(""), "");
}

TEST(UrlEncode, RoundTripsThroughParseQuery) {
  std::string nasty = "x y+z%&=\x01\xff";
  auto p = ParseQuery("k=" + UrlEncode(nasty));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("k"), nasty);
}

}  // namespace
}  // namespace gatehouse::http
