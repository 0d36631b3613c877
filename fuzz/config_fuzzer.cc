// The configuration loader (config/config.h) on arbitrary gatehouse.toml
// contents: refuses or accepts, never crashes. Writes into one private temp
// directory per process.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::string dir = [] {
    char tmpl[] = "/tmp/gh-fuzz-config-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (!d) std::abort();
    return std::string(d);
  }();
  std::string file = dir + "/gatehouse.toml";
  FILE* f = std::fopen(file.c_str(), "wb");
  if (!f) std::abort();
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto cfg = gatehouse::config::Load(dir, {});
  if (cfg.ok()) {
    (void)cfg->ListenHost();
    (void)cfg->ListenPort();
    (void)cfg->SqlitePath();
  }
  return 0;
}
