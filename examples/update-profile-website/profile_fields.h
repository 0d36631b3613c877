#pragma once
// The profile fields the update-profile website can ask for, and their
// validation (SPEC §3.6: non-empty names, a real YYYY-MM-DD birthdate).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/params.h"

namespace gatehouse::examples {

struct ProfileField {
  std::string_view name;   // the user_metadata key, also the form field name
  std::string_view label;  // shown above the input
  std::string_view input_type;
};

// The field called `name`, or nullptr when the site does not know it.
const ProfileField* FindProfileField(std::string_view name);

// True for a calendar date written exactly YYYY-MM-DD (Feb 29 only in leap
// years, no Feb 30, months 01-12), between 1900-01-01 and 2100-12-31.
bool IsRealDate(std::string_view text);

// Validates the submitted values of `fields` (known field names) in `form`.
// Returns field name -> message for each invalid one; empty when all are valid.
// Values are judged after trimming surrounding spaces.
std::map<std::string, std::string> ValidateProfile(const std::vector<std::string>& fields,
                                                   const http::Params& form);

// `text` without leading and trailing ASCII whitespace.
std::string Trim(std::string_view text);

}  // namespace gatehouse::examples
