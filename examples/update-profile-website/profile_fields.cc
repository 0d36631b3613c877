#include "update-profile-website/profile_fields.h"

#include <array>

namespace gatehouse::examples {
namespace {

constexpr std::array<ProfileField, 3> kFields = {{
    {"given_name", "First name", "text"},
    {"family_name", "Last name", "text"},
    {"birthdate", "Date of birth (YYYY-MM-DD)", "text"},
}};

constexpr size_t kMaxNameBytes = 100;

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

}  // namespace

const ProfileField* FindProfileField(std::string_view name) {
  for (const auto& field : kFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::string Trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

bool IsRealDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (size_t j = 0; j < lengths[i]; ++j) {
      const char c = text[starts[i] + j];
      if (c < '0' || c > '9') return false;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const int year = parts[0], month = parts[1], day = parts[2];
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days = month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
  return day <= days;
}

std::map<std::string, std::string> ValidateProfile(const std::vector<std::string>& fields,
                                                   const http::Params& form) {
  std::map<std::string, std::string> errors;
  for (const auto& name : fields) {
    const std::string value = Trim(form.Get(name).value_or(""));
    if (name == "birthdate") {
      if (value.empty()) {
        errors[name] = "Please enter your date of birth.";
      } else if (!IsRealDate(value)) {
        errors[name] = "Please enter a real date as YYYY-MM-DD.";
      }
    } else if (value.empty()) {
      errors[name] =
          "Please enter your " + std::string(name == "given_name" ? "first" : "last") + " name.";
    } else if (value.size() > kMaxNameBytes) {
      errors[name] = "Please use at most 100 characters.";
    }
  }
  return errors;
}

}  // namespace gatehouse::examples
