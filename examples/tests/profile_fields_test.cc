#include "update-profile-website/profile_fields.h"

#include <gtest/gtest.h>

namespace gatehouse::examples {
namespace {

TEST(IsRealDate, AcceptsCalendarDates) {
  EXPECT_TRUE(IsRealDate("1990-04-21"));
  EXPECT_TRUE(IsRealDate("2000-02-29"));  // divisible by 400: leap
  EXPECT_TRUE(IsRealDate("2024-02-29"));
  EXPECT_TRUE(IsRealDate("1999-12-31"));
}

TEST(IsRealDate, RefusesImpossibleOrMisshapenDates) {
  EXPECT_FALSE(IsRealDate("2001-02-30"));
  EXPECT_FALSE(IsRealDate("2023-02-29"));
  EXPECT_FALSE(IsRealDate("1900-02-29"));  // divisible by 100, not 400
  EXPECT_FALSE(IsRealDate("2001-04-31"));
  EXPECT_FALSE(IsRealDate("2001-13-01"));
  EXPECT_FALSE(IsRealDate("2001-00-10"));
  EXPECT_FALSE(IsRealDate("2001-01-00"));
  EXPECT_FALSE(IsRealDate("1990-4-21"));
  EXPECT_FALSE(IsRealDate("21/04/1990"));
  EXPECT_FALSE(IsRealDate("1990-04-21 "));
  EXPECT_FALSE(IsRealDate("19x0-04-21"));
  EXPECT_FALSE(IsRealDate("1899-12-31"));
  EXPECT_FALSE(IsRealDate(""));
}

TEST(ValidateProfile, ReportsEachInvalidRequiredFieldOnly) {
  http::Params form;
  form.Add("given_name", "  Ada ");
  form.Add("family_name", "   ");
  form.Add("birthdate", "2001-02-30");
  auto errors = ValidateProfile({"given_name", "family_name", "birthdate"}, form);
  EXPECT_EQ(errors.count("given_name"), 0u);
  EXPECT_EQ(errors.at("family_name"), "Please enter your last name.");
  EXPECT_EQ(errors.at("birthdate"), "Please enter a real date as YYYY-MM-DD.");
  // Fields not asked for are not judged.
  EXPECT_TRUE(ValidateProfile({"given_name"}, form).empty());
}

TEST(ValidateProfile, RefusesOverlongNames) {
  http::Params form;
  form.Add("given_name", std::string(101, 'a'));
  EXPECT_EQ(ValidateProfile({"given_name"}, form).count("given_name"), 1u);
}

}  // namespace
}  // namespace gatehouse::examples
