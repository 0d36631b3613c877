#include "rules/duration.h"

#include <gtest/gtest.h>

namespace gatehouse::rules {
namespace {

TEST(Duration, ParsesWhatTheMsPackageParses) {
  EXPECT_EQ(ParseDurationMs("5 minutes"), 300'000);
  EXPECT_EQ(ParseDurationMs("3d"), 3 * 86'400'000.0);
  EXPECT_EQ(ParseDurationMs("2.5 hrs"), 9'000'000);
  EXPECT_EQ(ParseDurationMs("1y"), 365.25 * 86'400'000);
  EXPECT_EQ(ParseDurationMs("-1h"), -3'600'000);
  EXPECT_EQ(ParseDurationMs("90"), 90);  // bare numbers are milliseconds
  EXPECT_EQ(ParseDurationMs(".5s"), 500);
  EXPECT_EQ(ParseDurationMs("1 WEEK"), 7 * 86'400'000.0);
  EXPECT_EQ(ParseDurationMs("10 sec"), 10'000);
  EXPECT_EQ(ParseDurationMs("7ms"), 7);
}

TEST(Duration, RefusesTheRest) {
  EXPECT_FALSE(ParseDurationMs(""));
  EXPECT_FALSE(ParseDurationMs("5 fortnights"));
  EXPECT_FALSE(ParseDurationMs("abc"));
  EXPECT_FALSE(ParseDurationMs("1.d"));
  EXPECT_FALSE(ParseDurationMs(" 5m"));
  EXPECT_FALSE(ParseDurationMs("5m "));
  EXPECT_FALSE(ParseDurationMs(std::string(101, '1')));
}

}  // namespace
}  // namespace gatehouse::rules
