#include "flow/form_action.h"

#include <cctype>

namespace gatehouse::flow {

std::string FormActionSource(const std::string& redirect_uri) {
  auto colon = redirect_uri.find(':');
  if (colon == std::string::npos || colon == 0) return "";
  std::string scheme = redirect_uri.substr(0, colon);
  for (char c : scheme) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    if (!ok) return "";
  }
  if (redirect_uri.compare(colon, 3, "://") != 0) return scheme + ":";
  auto start = colon + 3;
  auto end = redirect_uri.find_first_of("/?#", start);
  std::string authority = redirect_uri.substr(start, end == std::string::npos ? end : end - start);
  if (authority.empty() || authority.find('@') != std::string::npos) return "";
  return scheme + "://" + authority;
}

}  // namespace gatehouse::flow
