#include "flow/login_state.h"

#include <array>
#include <utility>

namespace gatehouse::flow {
namespace {

using S = LoginState;

constexpr std::array<std::pair<S, std::string_view>, 8> kNames = {{
    {S::kCreated, "created"},
    {S::kAuthenticated, "authenticated"},
    {S::kRulesPass1, "rules_pass1"},
    {S::kRedirectPending, "redirect_pending"},
    {S::kRulesPass2, "rules_pass2"},
    {S::kCompleted, "completed"},
    {S::kDenied, "denied"},
    {S::kFailed, "failed"},
}};

// The whole state machine: anything not listed is refused.
constexpr std::array<std::pair<S, S>, 14> kTransitions = {{
    {S::kCreated, S::kAuthenticated},
    {S::kCreated, S::kFailed},
    {S::kAuthenticated, S::kRulesPass1},
    {S::kAuthenticated, S::kFailed},
    {S::kRulesPass1, S::kCompleted},
    {S::kRulesPass1, S::kRedirectPending},
    {S::kRulesPass1, S::kDenied},
    {S::kRulesPass1, S::kFailed},
    {S::kRedirectPending, S::kRulesPass2},
    {S::kRedirectPending, S::kFailed},
    {S::kRulesPass2, S::kCompleted},
    {S::kRulesPass2, S::kRedirectPending},  // an action redirects after the rules' second pass
    {S::kRulesPass2, S::kDenied},
    {S::kRulesPass2, S::kFailed},
}};

}  // namespace

std::string_view LoginStateName(LoginState state) {
  for (const auto& [s, name] : kNames) {
    if (s == state) return name;
  }
  return "unknown";
}

std::optional<LoginState> ParseLoginState(std::string_view name) {
  for (const auto& [s, n] : kNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

bool TransitionAllowed(LoginState from, LoginState to) {
  for (const auto& [f, t] : kTransitions) {
    if (f == from && t == to) return true;
  }
  return false;
}

bool IsTerminal(LoginState state) {
  return state == S::kCompleted || state == S::kDenied || state == S::kFailed;
}

}  // namespace gatehouse::flow
