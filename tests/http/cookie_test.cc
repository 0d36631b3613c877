#include "http/cookie.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

TEST(FindCookie, MultipleCookiesAndSpaces) {
  std::string h = "a=1;b=2;  c = 3 ; d=";
  EXPECT_EQ(FindCookie(h, "a"), "1");
  EXPECT_EQ(FindCookie(h, "b"), "2");
  EXPECT_EQ(FindCookie(h, "c"), "3");
  EXPECT_EQ(FindCookie(h, "d"), "");
  EXPECT_EQ(FindCookie(h, "e"), std::nullopt);
}

TEST(FindCookie, QuotedValuesAreUnquoted) {
  EXPECT_EQ(FindCookie(R"(sid="abc def"; x=1)", "sid"), "abc def");
  EXPECT_EQ(FindCookie(R"(sid=")", "sid"), "\"");  // a lone quote is just a character
}

TEST(FindCookie, FirstWinsAndNamesAreExact) {
  EXPECT_EQ(FindCookie("a=1; a=2", "a"), "1");
  EXPECT_EQ(FindCookie("A=1", "a"), std::nullopt);
  EXPECT_EQ(FindCookie("ab=1", "a"), std::nullopt);
  EXPECT_EQ(FindCookie("junk; a=1", "a"), "1");
  EXPECT_EQ(FindCookie("", "a"), std::nullopt);
}

TEST(FindCookie, ValueMayContainEquals) { EXPECT_EQ(FindCookie("t=a=b", "t"), "a=b"); }

TEST(SetCookie, DefaultsAreSafe) {
  SetCookie c{.name = "sid", .value = "abc"};
  EXPECT_EQ(c.Serialize(), "sid=abc; Path=/; HttpOnly; SameSite=Lax");
}

TEST(SetCookie, AllAttributes) {
  SetCookie c{.name = "t",
              .value = "v",
              .path = "/login",
              .domain = "example.com",
              .max_age = 600,
              .http_only = false,
              .secure = true,
              .same_site = "None"};
  EXPECT_EQ(c.Serialize(),
            "t=v; Path=/login; Domain=example.com; Max-Age=600; Secure; SameSite=None");
}

TEST(SetCookie, DeletionAndOmittedSameSite) {
  SetCookie c{.name = "t", .value = "", .max_age = 0, .same_site = ""};
  EXPECT_EQ(c.Serialize(), "t=; Path=/; Max-Age=0; HttpOnly");
}

}  // namespace
}  // namespace gatehouse::http
