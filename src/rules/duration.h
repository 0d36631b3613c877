#pragma once
// Time spans as the npm `ms` package reads them, which jsonwebtoken uses for
// `expiresIn`, `notBefore` and `maxAge`: "90", "2.5 hrs", "5 minutes", "3d",
// "-1h", "1y" (365.25 days).

#include <optional>
#include <string_view>

namespace gatehouse::rules {

// The span in milliseconds (may be fractional or negative). A bare number is
// milliseconds. nullopt for anything `ms` would not parse (unknown unit, empty,
// longer than 100 characters).
std::optional<double> ParseDurationMs(std::string_view text);

}  // namespace gatehouse::rules
