#include "cli/common.h"

#include <cstdio>

namespace gatehouse::cli {

int Fail(const std::string& message) {
  std::fprintf(stderr, "gatehouse: %s\n", message.c_str());
  return 1;
}

}  // namespace gatehouse::cli
