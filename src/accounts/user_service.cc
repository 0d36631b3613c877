#include "accounts/user_service.h"

#include <chrono>

#include "accounts/auth0_import.h"
#include "accounts/email.h"
#include "accounts/login_attempts.h"
#include "accounts/metadata_merge.h"
#include "accounts/password_policy.h"
#include "core/logging.h"
#include "crypto/password_hash.h"

namespace gatehouse::accounts {
namespace {

constexpr int kMaxCasRetries = 16;
constexpr size_t kMaxUsernameBytes = 128;
constexpr size_t kMaxProfileFieldBytes = 1024;
constexpr char kWrongCredentials[] = "Wrong email or password.";

Status ValidateUsername(const std::string& username) {
  if (username.size() > kMaxUsernameBytes) return InvalidArgument("Username is too long.");
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-' || c == '+';
    // No '@': an identifier with '@' is looked up as an email.
    if (!ok) return InvalidArgument("Username may only contain letters, digits and _ . - +");
  }
  return Status::Ok();
}

class UserServiceImpl final : public UserService {
 public:
  UserServiceImpl(storage::Storage& storage, Clock& clock, Random& random,
                  UserServiceOptions options, std::string dummy_hash)
      : users_(storage.users()),
        clock_(clock),
        random_(random),
        options_(std::move(options)),
        policy_{options_.min_password_length, options_.max_password_length},
        argon2_{options_.argon2_memory_kib, options_.argon2_iterations, 1},
        attempts_(storage.records(), clock, options_.failed_attempts_ttl_seconds),
        dummy_hash_(std::move(dummy_hash)) {}

  Result<User> SignUp(const SignUpInput& input) override {
    return CreateUser(input, "", /*imported=*/false);
  }

  Result<User> Authenticate(const std::string& identifier, const std::string& password,
                            const std::string& ip) override {
    const std::string id(TrimSpace(identifier));
    auto found = Lookup(id);
    if (!found.ok() && found.status().code() != ErrorCode::kNotFound) return found.status();
    const std::string key =
        found.ok() ? LoginAttempts::UserKey(found->user_id, found->credentials_epoch, ip)
                   : LoginAttempts::IdentifierKey(id, ip);
    GH_ASSIGN_OR_RETURN(int64_t failures, attempts_.Count(key));
    if (failures >= options_.max_failed_attempts) {
      return ResourceExhausted(
          "Your account has been blocked after multiple consecutive login attempts.");
    }
    // Unknown users, users without a password and oversized passwords all cost
    // one verification, so the response time does not tell them apart.
    const bool usable = found.ok() && !found->password_hash.empty() &&
                        password.size() <= static_cast<size_t>(options_.max_password_length);
    auto check =
        crypto::VerifyPassword(password, usable ? found->password_hash : dummy_hash_, argon2_);
    if (!check.ok()) {
      log::Warn("unusable stored password hash", {{"user_id", found.ok() ? found->user_id : ""},
                                                  {"error", check.status().message()}});
    }
    if (!usable || !check.ok() || !check->match) {
      GH_RETURN_IF_ERROR(attempts_.Increment(key).status());
      return Unauthenticated(kWrongCredentials);
    }
    storage::UserRecord user = std::move(found).value();
    // Only someone who knows the password learns that the user is blocked.
    if (user.blocked) return PermissionDenied("user is blocked");
    if (failures > 0) GH_RETURN_IF_ERROR(attempts_.Clear(key));
    if (check->needs_rehash) Rehash(user, password);
    GH_ASSIGN_OR_RETURN(auto logged, users_.RecordLogin(user.user_id, ip));
    return User{std::move(logged)};
  }

  Result<User> Get(const std::string& user_id) override {
    GH_ASSIGN_OR_RETURN(auto r, users_.Get(user_id));
    return User{std::move(r)};
  }

  Result<User> GetByEmail(const std::string& email) override {
    GH_ASSIGN_OR_RETURN(auto r,
                        users_.GetByEmail(options_.connection, std::string(TrimSpace(email))));
    return User{std::move(r)};
  }

  Result<User> UpdateMetadata(const std::string& user_id, const nlohmann::json& user_patch,
                              const nlohmann::json& app_patch) override {
    if (!user_patch.is_null()) GH_RETURN_IF_ERROR(ValidateMetadataPatch(user_patch));
    if (!app_patch.is_null()) GH_RETURN_IF_ERROR(ValidateMetadataPatch(app_patch));
    // Metadata is where concurrent writers meet (rules of parallel logins, API
    // clients): retry longer than for credential changes.
    for (int attempt = 0; attempt < 8 * kMaxCasRetries; ++attempt) {
      GH_ASSIGN_OR_RETURN(auto user, users_.Get(user_id));
      for (auto [patch, field] : {std::pair{&user_patch, &user.user_metadata},
                                  std::pair{&app_patch, &user.app_metadata}}) {
        if (patch->is_null()) continue;
        nlohmann::json stored = nlohmann::json::parse(*field, nullptr, false);
        std::string merged = MergeMetadata(stored, *patch).dump();
        if (merged.size() > kMaxMetadataBytes)
          return InvalidArgument("metadata is larger than 16 KiB");
        *field = std::move(merged);
      }
      auto updated = users_.Update(user, user.version);
      if (updated.ok()) return User{std::move(updated).value()};
      if (updated.status().code() != ErrorCode::kConflict) return updated.status();
    }
    return Unavailable("user record stayed contended");
  }

  Result<User> SetPassword(const std::string& user_id, const std::string& password) override {
    for (int attempt = 0; attempt < kMaxCasRetries; ++attempt) {
      GH_ASSIGN_OR_RETURN(auto user, users_.Get(user_id));
      GH_RETURN_IF_ERROR(CheckPassword(policy_, password, user.email));
      GH_ASSIGN_OR_RETURN(user.password_hash, crypto::HashPassword(password, argon2_));
      user.last_password_reset_ms = NowMs();
      ++user.credentials_epoch;
      auto updated = users_.Update(user, user.version);
      if (updated.ok()) return User{std::move(updated).value()};
      if (updated.status().code() != ErrorCode::kConflict) return updated.status();
    }
    return Unavailable("user record stayed contended");
  }

  Status UnblockAttempts(const std::string& user_id) override {
    return attempts_.ClearUser(user_id);
  }

  Result<ImportReport> Import(const std::string& jsonl) override {
    ImportReport report;
    size_t start = 0;
    int line_no = 0;
    while (start <= jsonl.size()) {
      size_t end = jsonl.find('\n', start);
      if (end == std::string::npos) end = jsonl.size();
      std::string_view line = TrimSpace(std::string_view(jsonl).substr(start, end - start));
      ++line_no;
      start = end + 1;
      if (line.empty()) continue;
      auto error = [&](const std::string& why) {
        report.errors.push_back("line " + std::to_string(line_no) + ": " + why);
      };
      auto parsed = ParseAuth0ExportLine(line);
      if (!parsed.ok()) {
        error(parsed.status().message());
        continue;
      }
      auto created = CreateUser(parsed->input, parsed->user_id, /*imported=*/true);
      if (created.ok()) {
        ++report.imported;
        continue;
      }
      switch (created.status().code()) {
        case ErrorCode::kInvalidArgument: error(created.status().message()); break;
        case ErrorCode::kAlreadyExists: {
          // An existing email is skipped (re-running an import is harmless);
          // a clash on user_id or username with another email is an error.
          auto email = NormalizeEmail(parsed->input.email);
          if (email.ok() && users_.GetByEmail(options_.connection, *email).ok()) {
            ++report.skipped;
          } else {
            error("user_id or username already exists");
          }
          break;
        }
        default: return created.status();  // storage trouble: stop, the caller may retry
      }
    }
    return report;
  }

 private:
  int64_t NowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
        .count();
  }

  // The user an identifier names: an email when it has an '@', else a username.
  Result<storage::UserRecord> Lookup(const std::string& identifier) {
    if (identifier.empty()) return NotFound("empty identifier");
    if (identifier.find('@') != std::string::npos) {
      return users_.GetByEmail(options_.connection, identifier);
    }
    return users_.GetByUsername(options_.connection, identifier);
  }

  // Replaces a bcrypt or weaker argon2 hash after a successful login. Best
  // effort: a lost compare-and-set (the user changed meanwhile) leaves the old
  // hash, which still verifies, for the next login to upgrade.
  void Rehash(storage::UserRecord user, const std::string& password) {
    auto hash = crypto::HashPassword(password, argon2_);
    if (!hash.ok()) return;
    user.password_hash = std::move(hash).value();
    auto updated = users_.Update(user, user.version);
    if (!updated.ok() && updated.status().code() != ErrorCode::kConflict) {
      log::Warn("password rehash failed",
                {{"user_id", user.user_id}, {"error", updated.status().message()}});
    }
  }

  // `user_id` "" mints one. Imported users may come without any password.
  Result<User> CreateUser(const SignUpInput& in, const std::string& user_id, bool imported) {
    GH_ASSIGN_OR_RETURN(std::string email, NormalizeEmail(in.email));
    std::string username(TrimSpace(in.username));
    GH_RETURN_IF_ERROR(ValidateUsername(username));
    for (const std::string* f :
         {&in.given_name, &in.family_name, &in.name, &in.nickname, &in.picture}) {
      if (f->size() > kMaxProfileFieldBytes) return InvalidArgument("A profile field is too long.");
    }
    if (!in.user_metadata.is_object() || !in.app_metadata.is_object()) {
      return InvalidArgument("Metadata must be a JSON object.");
    }
    storage::UserRecord r;
    if (!in.password_hash.empty()) {
      if (!crypto::CheckPasswordHashFormat(in.password_hash).ok()) {
        return InvalidArgument("Unsupported password hash.");
      }
      r.password_hash = in.password_hash;
    } else if (!in.password.empty() || !imported) {
      GH_RETURN_IF_ERROR(CheckPassword(policy_, in.password, email));
      GH_ASSIGN_OR_RETURN(r.password_hash, crypto::HashPassword(in.password, argon2_));
    }
    r.user_id = user_id.empty() ? "auth0|" + random_.Hex(12) : user_id;
    r.connection = options_.connection;
    r.email = email;
    r.email_verified = in.email_verified;
    r.username = username;
    r.given_name = in.given_name;
    r.family_name = in.family_name;
    // Auth0's defaults for database users: name = email, nickname = local part.
    r.name = in.name.empty() ? email : in.name;
    r.nickname = in.nickname.empty() ? email.substr(0, email.find('@')) : in.nickname;
    r.picture = in.picture;
    r.user_metadata = in.user_metadata.dump();
    r.app_metadata = in.app_metadata.dump();
    auto created = users_.Create(r);
    if (!created.ok()) {
      if (created.status().code() == ErrorCode::kAlreadyExists) {
        return AlreadyExists("The user already exists.");
      }
      return created.status();
    }
    return User{std::move(created).value()};
  }

  storage::UserRepo& users_;
  Clock& clock_;
  Random& random_;
  const UserServiceOptions options_;
  const PasswordPolicy policy_;
  const crypto::Argon2Params argon2_;
  LoginAttempts attempts_;
  const std::string dummy_hash_;
};

}  // namespace

std::unique_ptr<UserService> UserService::Create(storage::Storage& storage, Clock& clock,
                                                 Random& random, UserServiceOptions options) {
  // The stand-in hash verified for unknown users: same algorithm and cost as
  // real hashes, of a password nobody knows.
  crypto::Argon2Params params{options.argon2_memory_kib, options.argon2_iterations, 1};
  auto dummy = crypto::HashPassword(random.Token(32), params);
  std::string dummy_hash;
  if (dummy.ok()) {
    dummy_hash = std::move(dummy).value();
  } else {
    // Logins still fail closed: verifying against "" is an error, counted as a miss.
    log::Error("cannot compute the dummy password hash", {{"error", dummy.status().message()}});
  }
  return std::make_unique<UserServiceImpl>(storage, clock, random, std::move(options),
                                           std::move(dummy_hash));
}

}  // namespace gatehouse::accounts
