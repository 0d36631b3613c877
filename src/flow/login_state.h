#pragma once
// The states of a login transaction and the transitions allowed between them
// (ARCHITECTURE.md "The login transaction"):
//
//   created --> authenticated --> rules_pass1 --------------------------------> completed
//      |              |               |  \                                     ^
//      |              |               |   `-> redirect_pending --> rules_pass2 -'
//      |              |               |              |                 |
//      v              v               v              v                 v
//   failed         failed       denied/failed     failed         denied/failed
//
// created:          /authorize validated the request; the user has not authenticated.
// authenticated:    password checked or SSO session reused; user_id and auth_time are set.
// rules_pass1:      the login pipeline runs (protocol oidc-basic-profile).
// redirect_pending: a rule redirected the browser away (next issue); waits for /continue.
// rules_pass2:      the pipeline resumes (protocol redirect-callback) after /continue;
//                   an action after the rules may redirect once more (back to
//                   redirect_pending, resuming in that action, issue 11).
// completed:        the code went to the client. Terminal.
// denied:           a rule denied the login; the error went to the client. Terminal.
// failed:           the login ended in an error (prompt=none without a session,
//                   pipeline error, expired resume). Terminal.
//
// Every transition is one compare-and-set on the stored record, so of two
// requests racing on one transaction exactly one moves it.

#include <optional>
#include <string_view>

namespace gatehouse::flow {

enum class LoginState {
  kCreated,
  kAuthenticated,
  kRulesPass1,
  kRedirectPending,
  kRulesPass2,
  kCompleted,
  kDenied,
  kFailed,
};

// Stable names, stored in the transaction record ("created", "rules_pass1", ...).
std::string_view LoginStateName(LoginState state);
// The state for a stored name; nullopt for an unknown name.
std::optional<LoginState> ParseLoginState(std::string_view name);

// True when the state machine allows `from` -> `to` (see the diagram).
bool TransitionAllowed(LoginState from, LoginState to);

// True for completed, denied and failed: nothing moves a transaction out of them.
bool IsTerminal(LoginState state);

}  // namespace gatehouse::flow
