// 50 concurrent /continue requests with one state: exactly one resumes.

#include <thread>
#include <vector>

#include "flow/redirect/redirect_fixture.h"

namespace gatehouse::flow::testing {
namespace {

TEST_F(RedirectTest, FiftyConcurrentResumesYieldExactlyOneCode) {
  h_.SetRules({kRedirectOnce});
  Browser browser;
  std::string state = LoginToRedirect(browser);
  constexpr int kRequests = 50;
  std::vector<http::Response> answers(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      Browser copy = browser;
      answers[i] = h_.Get("/continue?state=" + state, &copy);
    });
  }
  for (auto& t : threads) t.join();
  int codes = 0;
  int used = 0;
  for (const auto& res : answers) {
    std::string location = res.GetHeader("Location");
    if (!UrlParam(location, "code").empty()) ++codes;
    if (UrlParam(location, "error") == "invalid_request") ++used;
  }
  EXPECT_EQ(codes, 1);
  EXPECT_EQ(used, kRequests - 1);
}

}  // namespace
}  // namespace gatehouse::flow::testing
