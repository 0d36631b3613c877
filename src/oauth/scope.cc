#include "oauth/scope.h"

#include <algorithm>

namespace gatehouse::oauth {

std::vector<std::string> SplitScope(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) {
      std::string word(s.substr(i, j - i));
      if (std::find(out.begin(), out.end(), word) == out.end()) out.push_back(std::move(word));
    }
    i = j;
  }
  return out;
}

std::string JoinScope(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

bool ScopeHas(std::string_view scope, std::string_view word) {
  auto words = SplitScope(scope);
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::vector<std::string> IntersectScope(const std::vector<std::string>& wanted,
                                        const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  for (const auto& w : wanted) {
    if (std::find(allowed.begin(), allowed.end(), w) != allowed.end()) out.push_back(w);
  }
  return out;
}

}  // namespace gatehouse::oauth
