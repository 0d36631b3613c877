#include "rules/rule.h"

#include <gtest/gtest.h>

namespace gatehouse::rules {
namespace {

TEST(RuleName, AcceptsLettersDigitsSpacesAndDashes) {
  EXPECT_TRUE(ValidateRuleName("Progressive profiling").ok());
  EXPECT_TRUE(ValidateRuleName("force-password-change 2").ok());
  EXPECT_TRUE(ValidateRuleName("a").ok());
}

TEST(RuleName, RefusesEverythingElse) {
  for (const char* bad : {"", " lead", "trail ", "-lead", "trail-", "semi;colon", "under_score",
                          "dot.name", "tab\tname", "ünïcode"}) {
    Status s = ValidateRuleName(bad);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace gatehouse::rules
