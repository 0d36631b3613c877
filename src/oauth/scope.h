#pragma once
// Space-separated scope strings (RFC 6749 §3.3) as ordered, de-duplicated lists.

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::oauth {

// Splits on spaces, dropping empty words and repeats (first occurrence kept).
std::vector<std::string> SplitScope(std::string_view scope);
std::string JoinScope(const std::vector<std::string>& scopes);
bool ScopeHas(std::string_view scope, std::string_view word);
// The words of `wanted` that are also in `allowed`, in `wanted`'s order.
std::vector<std::string> IntersectScope(const std::vector<std::string>& wanted,
                                        const std::vector<std::string>& allowed);

}  // namespace gatehouse::oauth
