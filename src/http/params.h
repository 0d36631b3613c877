#pragma once
// Ordered name -> values pairs (query strings, form bodies) and their codec.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace gatehouse::http {

// Ordered, case-sensitive multimap of name -> value, in the order the pairs
// were added (i.e. as they appeared on the wire). Not thread-safe for writes;
// concurrent const access is fine.
class Params {
 public:
  using Pair = std::pair<std::string, std::string>;

  // The first value for `name`, or nullopt when absent. An empty value
  // ("a=" or "a") is present and returns "".
  std::optional<std::string> Get(std::string_view name) const;
  // Every value for `name` in order; empty when absent.
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const;
  void Add(std::string name, std::string value);

  size_t size() const { return pairs_.size(); }
  bool empty() const { return pairs_.empty(); }
  std::vector<Pair>::const_iterator begin() const { return pairs_.begin(); }
  std::vector<Pair>::const_iterator end() const { return pairs_.end(); }

 private:
  std::vector<Pair> pairs_;
};

// Parses application/x-www-form-urlencoded text (also used for query strings):
// pairs split on '&', name and value on the first '='; '+' is a space and %XX
// is decoded in both. Empty segments ("a=1&&b=2") are skipped; "a" alone is
// the pair ("a", ""). InvalidArgument on a malformed escape ("%", "%4", "%zz")
// or when a decoded name or value contains a NUL byte.
Result<Params> ParseQuery(std::string_view query);

// Percent-decodes `text` (RFC 3986; '+' is kept as '+'). InvalidArgument on a
// malformed escape or a decoded NUL byte.
Result<std::string> PercentDecode(std::string_view text);

// Percent-encodes everything except RFC 3986 unreserved characters
// (ALPHA / DIGIT / "-" / "." / "_" / "~"), with uppercase hex digits.
std::string UrlEncode(std::string_view text);

}  // namespace gatehouse::http
