#include "core/status.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/logging.h"

namespace gatehouse {
namespace {

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  GH_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = NotFound("no key k");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kNotFound);
  EXPECT_EQ(s.ToString(), "not_found: no key k");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Result, PropagatesErrorsThroughAssignOrReturn) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_EQ(Quarter(6).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Quarter(5).status().message(), "odd");
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.NowSeconds(), 1000);
  clock.Advance(std::chrono::seconds(61));
  EXPECT_EQ(clock.NowSeconds(), 1061);
}

TEST(Logging, EscapesEverythingJsonCannotHoldRaw) {
  EXPECT_EQ(log::JsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
}

}  // namespace
}  // namespace gatehouse
