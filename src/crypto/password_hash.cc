#include "crypto/password_hash.h"

#include <argon2.h>
#include <crypt.h>

#include <charconv>
#include <memory>
#include <vector>

#include "crypto/digest.h"
#include "crypto/secure_random.h"

namespace gatehouse::crypto {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

// Upper bounds on the costs a stored hash may ask for. Hashes come from
// imports too; without a bound one line could demand gigabytes per login.
constexpr uint32_t kMaxMemoryKib = 1024 * 1024;  // 1 GiB
constexpr uint32_t kMaxIterations = 64;
constexpr uint32_t kMaxParallelism = 16;
constexpr int kMinBcryptCost = 4;
constexpr int kMaxBcryptCost = 15;  // about a second per check here; Auth0 uses 10

bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// Reads a decimal number up to `stop` (or the end) and consumes it with the stop char.
bool ConsumeNumber(std::string_view& s, char stop, uint32_t& out) {
  size_t end = s.find(stop);
  std::string_view digits = s.substr(0, end);
  if (digits.empty() || digits.size() > 10) return false;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return false;
  s.remove_prefix(end == std::string_view::npos ? s.size() : end + 1);
  return true;
}

bool IsPhcBase64(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

struct Argon2Phc {
  uint32_t memory_kib = 0, iterations = 0, parallelism = 0;
};

// Checks the shape and bounds of "$argon2id$v=19$m=..,t=..,p=..$salt$hash".
Result<Argon2Phc> ParseArgon2id(std::string_view s) {
  Argon2Phc p;
  uint32_t version = 0;
  if (!ConsumePrefix(s, "$argon2id$v=") || !ConsumeNumber(s, '$', version) ||
      !ConsumePrefix(s, "m=") || !ConsumeNumber(s, ',', p.memory_kib) || !ConsumePrefix(s, "t=") ||
      !ConsumeNumber(s, ',', p.iterations) || !ConsumePrefix(s, "p=") ||
      !ConsumeNumber(s, '$', p.parallelism)) {
    return InvalidArgument("malformed argon2id hash");
  }
  if (version != ARGON2_VERSION_13) return InvalidArgument("unsupported argon2 version");
  size_t dollar = s.find('$');
  if (dollar == std::string_view::npos || !IsPhcBase64(s.substr(0, dollar)) ||
      !IsPhcBase64(s.substr(dollar + 1))) {
    return InvalidArgument("malformed argon2id hash");
  }
  if (p.memory_kib > kMaxMemoryKib || p.iterations < 1 || p.iterations > kMaxIterations ||
      p.parallelism < 1 || p.parallelism > kMaxParallelism || p.memory_kib < 8 * p.parallelism) {
    return InvalidArgument("argon2id hash costs out of range");
  }
  return p;
}

Result<PasswordCheck> VerifyArgon2id(std::string_view password, std::string_view stored,
                                     const Argon2Params& wanted) {
  GH_ASSIGN_OR_RETURN(Argon2Phc p, ParseArgon2id(stored));
  std::string encoded(stored);  // libargon2 wants a NUL-terminated string
  // argon2id_verify recomputes with the stored salt and parameters and
  // compares in constant time.
  int rc = argon2id_verify(encoded.c_str(), password.data(), password.size());
  if (rc == ARGON2_VERIFY_MISMATCH) return PasswordCheck{false, false};
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) return Internal("argon2: out of memory");
  if (rc != ARGON2_OK) {
    return InvalidArgument(std::string("argon2id hash rejected: ") + argon2_error_message(rc));
  }
  bool weaker = p.memory_kib < wanted.memory_kib || p.iterations < wanted.iterations ||
                p.parallelism < wanted.parallelism;
  return PasswordCheck{true, weaker};
}

bool IsBcryptChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '/';
}

// "$2b$10$" + 22 salt chars + 31 hash chars.
Status CheckBcryptShape(std::string_view s) {
  if (s.size() != 60 || s[0] != '$' || s[1] != '2' || (s[2] != 'a' && s[2] != 'b' && s[2] != 'y') ||
      s[3] != '$' || s[6] != '$') {
    return InvalidArgument("malformed bcrypt hash");
  }
  if (s[4] < '0' || s[4] > '9' || s[5] < '0' || s[5] > '9') {
    return InvalidArgument("malformed bcrypt hash");
  }
  int cost = (s[4] - '0') * 10 + (s[5] - '0');
  if (cost < kMinBcryptCost || cost > kMaxBcryptCost) {
    return InvalidArgument("bcrypt cost out of range");
  }
  for (char c : s.substr(7)) {
    if (!IsBcryptChar(c)) return InvalidArgument("malformed bcrypt hash");
  }
  return Status::Ok();
}

Result<PasswordCheck> VerifyBcrypt(std::string_view password, std::string_view stored) {
  GH_RETURN_IF_ERROR(CheckBcryptShape(stored));
  if (password.find('\0') != std::string_view::npos) return PasswordCheck{false, true};
  std::string phrase(password);
  std::string setting(stored);
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: keep it off the stack
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*') return InvalidArgument("bcrypt hash rejected by libcrypt");
  return PasswordCheck{ConstantTimeEquals(out, stored), true};
}

}  // namespace

Result<std::string> HashPasswordWithSalt(std::string_view password, const Argon2Params& params,
                                         std::string_view salt) {
  if (salt.size() < ARGON2_MIN_SALT_LENGTH) return InvalidArgument("argon2 salt too short");
  if (params.memory_kib > kMaxMemoryKib || params.iterations > kMaxIterations ||
      params.parallelism > kMaxParallelism) {
    return InvalidArgument("argon2 parameters out of range");
  }
  size_t len = argon2_encodedlen(params.iterations, params.memory_kib, params.parallelism,
                                 static_cast<uint32_t>(salt.size()), kHashBytes, Argon2_id);
  std::vector<char> encoded(len + 1);
  int rc = argon2id_hash_encoded(params.iterations, params.memory_kib, params.parallelism,
                                 password.data(), password.size(), salt.data(), salt.size(),
                                 kHashBytes, encoded.data(), encoded.size());
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) return Internal("argon2: out of memory");
  if (rc != ARGON2_OK) {
    return InvalidArgument(std::string("argon2 hashing refused: ") + argon2_error_message(rc));
  }
  return std::string(encoded.data());
}

Result<std::string> HashPassword(std::string_view password, const Argon2Params& params) {
  return HashPasswordWithSalt(password, params, SecureRandom::Instance().Bytes(kSaltBytes));
}

Status CheckPasswordHashFormat(std::string_view stored) {
  if (stored.substr(0, 10) == "$argon2id$") return ParseArgon2id(stored).status();
  if (stored.substr(0, 2) == "$2") return CheckBcryptShape(stored);
  return InvalidArgument("unsupported password hash format");
}

Result<PasswordCheck> VerifyPassword(std::string_view password, std::string_view stored,
                                     const Argon2Params& params) {
  if (stored.substr(0, 10) == "$argon2id$") return VerifyArgon2id(password, stored, params);
  if (stored.substr(0, 2) == "$2") return VerifyBcrypt(password, stored);
  return InvalidArgument("unsupported password hash format");
}

}  // namespace gatehouse::crypto
