#include "flow/form_action.h"

#include <gtest/gtest.h>

namespace gatehouse::flow {
namespace {

TEST(FormActionSourceTest, OriginOfHierarchicalUrls) {
  EXPECT_EQ(FormActionSource("https://app.example.com/callback?x=1"), "https://app.example.com");
  EXPECT_EQ(FormActionSource("http://127.0.0.1:3000/cb"), "http://127.0.0.1:3000");
  EXPECT_EQ(FormActionSource("https://app.example.com"), "https://app.example.com");
  EXPECT_EQ(FormActionSource("https://app.example.com?x"), "https://app.example.com");
}

TEST(FormActionSourceTest, SchemeOfNativeAppUrls) {
  EXPECT_EQ(FormActionSource("com.example.app:/oauth2redirect"), "com.example.app:");
}

TEST(FormActionSourceTest, NothingForUnusableInput) {
  EXPECT_EQ(FormActionSource(""), "");
  EXPECT_EQ(FormActionSource("no-scheme"), "");
  EXPECT_EQ(FormActionSource(":/x"), "");
  EXPECT_EQ(FormActionSource("https://user@evil.example/cb"), "");
  EXPECT_EQ(FormActionSource("https:///cb"), "");
  EXPECT_EQ(FormActionSource("ht tp://a/b"), "");
}

}  // namespace
}  // namespace gatehouse::flow
