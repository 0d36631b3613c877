#include "flow/login_state.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

namespace gatehouse::flow {
namespace {

using S = LoginState;

const std::vector<S> kAll = {S::kCreated,    S::kAuthenticated, S::kRulesPass1, S::kRedirectPending,
                             S::kRulesPass2, S::kCompleted,     S::kDenied,     S::kFailed};

// Pins the whole state machine: the redirect issue resumes logins from
// redirect_pending, so changing a row here is a protocol change.
TEST(LoginStateTest, TransitionTableIsExactlyThis) {
  const std::set<std::pair<S, S>> allowed = {
      {S::kCreated, S::kAuthenticated},      {S::kCreated, S::kFailed},
      {S::kAuthenticated, S::kRulesPass1},   {S::kAuthenticated, S::kFailed},
      {S::kRulesPass1, S::kCompleted},       {S::kRulesPass1, S::kRedirectPending},
      {S::kRulesPass1, S::kDenied},          {S::kRulesPass1, S::kFailed},
      {S::kRedirectPending, S::kRulesPass2}, {S::kRedirectPending, S::kFailed},
      {S::kRulesPass2, S::kCompleted},       {S::kRulesPass2, S::kDenied},
      {S::kRulesPass2, S::kFailed},
      // An action after the rules' second pass may still redirect (issue 11).
      {S::kRulesPass2, S::kRedirectPending},
  };
  for (S from : kAll) {
    for (S to : kAll) {
      EXPECT_EQ(TransitionAllowed(from, to), allowed.count({from, to}) == 1)
          << LoginStateName(from) << " -> " << LoginStateName(to);
    }
  }
}

TEST(LoginStateTest, NothingLeavesATerminalState) {
  for (S from : {S::kCompleted, S::kDenied, S::kFailed}) {
    EXPECT_TRUE(IsTerminal(from));
    for (S to : kAll) EXPECT_FALSE(TransitionAllowed(from, to)) << LoginStateName(from);
  }
  for (S s :
       {S::kCreated, S::kAuthenticated, S::kRulesPass1, S::kRedirectPending, S::kRulesPass2}) {
    EXPECT_FALSE(IsTerminal(s)) << LoginStateName(s);
  }
}

TEST(LoginStateTest, NoStateMovesToItselfOrBackToCreated) {
  for (S s : kAll) {
    EXPECT_FALSE(TransitionAllowed(s, s)) << LoginStateName(s);
    EXPECT_FALSE(TransitionAllowed(s, S::kCreated)) << LoginStateName(s);
  }
}

// The names are stored in records: renaming one strands live transactions.
TEST(LoginStateTest, StoredNamesArePinned) {
  const std::vector<std::pair<S, const char*>> names = {
      {S::kCreated, "created"},        {S::kAuthenticated, "authenticated"},
      {S::kRulesPass1, "rules_pass1"}, {S::kRedirectPending, "redirect_pending"},
      {S::kRulesPass2, "rules_pass2"}, {S::kCompleted, "completed"},
      {S::kDenied, "denied"},          {S::kFailed, "failed"}};
  for (const auto& [state, name] : names) {
    EXPECT_EQ(LoginStateName(state), name);
    ASSERT_TRUE(ParseLoginState(name).has_value()) << name;
    EXPECT_EQ(*ParseLoginState(name), state);
  }
  EXPECT_FALSE(ParseLoginState("Created").has_value());
  EXPECT_FALSE(ParseLoginState("").has_value());
}

}  // namespace
}  // namespace gatehouse::flow
