// Random's derived encodings, driven by a scripted byte source so the mapping
// and the rejection of biased bytes can be checked exactly.
#include "core/random.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

namespace gatehouse {
namespace {

class ScriptedRandom : public Random {
 public:
  explicit ScriptedRandom(std::deque<unsigned char> bytes) : bytes_(std::move(bytes)) {}
  std::string Bytes(size_t n) override {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      unsigned char c = 0;
      if (!bytes_.empty()) {
        c = bytes_.front();
        bytes_.pop_front();
      }
      out += static_cast<char>(c);
    }
    return out;
  }

 private:
  std::deque<unsigned char> bytes_;
};

TEST(RandomTest, AlphanumericMapsBytesAndSkipsTheBiasedTail) {
  // 0 -> 'A', 61 -> '9', 62 -> 'A' again, 255 and 248 are rejected, 247 -> '9'.
  ScriptedRandom random({0, 255, 61, 248, 62, 247});
  EXPECT_EQ(random.Alphanumeric(4), "A9A9");
}

TEST(RandomTest, AlphanumericKeepsDrawingUntilItHasEnough) {
  std::deque<unsigned char> bytes(100, 250);  // all rejected
  bytes.push_back(1);
  bytes.push_back(27);
  ScriptedRandom random(bytes);
  EXPECT_EQ(random.Alphanumeric(2), "Bb");
}

}  // namespace
}  // namespace gatehouse
