#pragma once
// Errors as values. Every fallible function across a module boundary returns
// Status or Result<T>; exceptions never cross module boundaries.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace gatehouse {

// What went wrong, coarse enough for callers to branch on.
enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,    // the caller's input is malformed or out of range
  kNotFound,           // the addressed record does not exist
  kAlreadyExists,      // a create collided with an existing record
  kConflict,           // a compare-and-set lost: the record changed since it was read
  kPermissionDenied,   // authenticated but not allowed
  kUnauthenticated,    // signature, password or token did not verify
  kExpired,            // the record or token exists but its lifetime is over
  kResourceExhausted,  // a size or count limit was hit
  kUnavailable,        // transient: retrying later may succeed (busy database, lost connection)
  kInternal,           // a bug or an environment failure; details only in logs
};

// Name of an error code, e.g. "not_found"; stable, used in logs and tests.
const char* ErrorCodeName(ErrorCode code);

// A success, or an error code with a message. Messages are for logs and
// operators; public-facing errors are composed by the caller.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not_found: no such key" (or "ok").
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
inline Status Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Status PermissionDenied(std::string m) {
  return {ErrorCode::kPermissionDenied, std::move(m)};
}
inline Status Unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }
inline Status Expired(std::string m) { return {ErrorCode::kExpired, std::move(m)}; }
inline Status ResourceExhausted(std::string m) {
  return {ErrorCode::kResourceExhausted, std::move(m)};
}
inline Status Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

// A value or a non-ok Status. Accessing value() of an error is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result built from an ok Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // The error; Status::Ok() when this holds a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace gatehouse

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define GH_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::gatehouse::Status gh_status_ = (expr); \
    if (!gh_status_.ok()) return gh_status_; \
  } while (0)

#define GH_CONCAT_INNER_(a, b) a##b
#define GH_CONCAT_(a, b) GH_CONCAT_INNER_(a, b)
// GH_ASSIGN_OR_RETURN(auto x, MakeX()); returns the error of a failed Result.
#define GH_ASSIGN_OR_RETURN(lhs, rexpr) \
  GH_ASSIGN_OR_RETURN_IMPL_(GH_CONCAT_(gh_result_, __LINE__), lhs, rexpr)
#define GH_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
