#include "crypto/password_hash.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::crypto {
namespace {

// Cheap costs keep the suite fast; behaviour does not depend on them.
const Argon2Params kLow{.memory_kib = 1024, .iterations = 2, .parallelism = 1};

// Known answers produced by independent tools (see each comment).
// `argon2 somesalt -id -t 2 -m 16 -p 1 -l 32` (the reference CLI, Debian
// package argon2), password "password": also in the reference test suite.
constexpr char kArgonReference[] =
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
// `argon2 0123456789abcdef -id -t 2 -m 10 -p 1 -l 32 -e`, password "hunter2".
constexpr char kArgonHunter2[] =
    "$argon2id$v=19$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$hxPQ+Iy/"
    "zL4y11HnZDS0jtIxmUFJ5mQNCwaZEpYDKDY";
// `htpasswd -bnBC 10 u hunter2-bcrypt` (Apache's own bcrypt, not libcrypt).
constexpr char kBcrypt2y[] = "$2y$10$GR7PhTtEz3LqrGvJlLV9Bep3DQwlaw47zaFufAOzGeV1Ubr7UupB.";
// `htpasswd -bnBC 4 u 'Secret123!'`.
constexpr char kBcrypt2yCost4[] = "$2y$04$mwU3ZVU8QYXvhyT.ysIrUO0lKBXP3WXz9SxHq9OFV1RLb8mWt65Mi";
// `mkpasswd -m bcrypt -R 5 'Secret123!'`.
constexpr char kBcrypt2b[] = "$2b$05$Kx72MN5tB5zcFBHMjFH/9eBxNhZ5n8UF0qqqaEugYpbnVaCioCMzK";
// `mkpasswd -m bcrypt-a -R 4 'Auth0-export pw'`.
constexpr char kBcrypt2a[] = "$2a$05$QQ3m/N2tBeHqrtP44Xjk9OwCawWcx8sEl236HGJVkr0ilxi7E.G8W";
// The crypt_blowfish / OpenBSD test vector for "U*U".
constexpr char kBcryptOpenwall[] = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

PasswordCheck Check(std::string_view pw, std::string_view stored, const Argon2Params& p = kLow) {
  auto r = VerifyPassword(pw, stored, p);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : PasswordCheck{};
}

TEST(PasswordHashTest, HashIsPhcArgon2idWithRequestedCost) {
  auto h = HashPassword("correct horse", kLow);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->rfind("$argon2id$v=19$m=1024,t=2,p=1$", 0), 0u) << *h;
  // 16-byte salt = 22 base64 chars, 32-byte hash = 43.
  std::string rest = h->substr(std::string("$argon2id$v=19$m=1024,t=2,p=1$").size());
  size_t dollar = rest.find('$');
  EXPECT_EQ(dollar, 22u);
  EXPECT_EQ(rest.size() - dollar - 1, 43u);
}

TEST(PasswordHashTest, DefaultParamsAreOwasp) {
  Argon2Params p;
  EXPECT_EQ(p.memory_kib, 19456u);
  EXPECT_EQ(p.iterations, 2u);
  EXPECT_EQ(p.parallelism, 1u);
}

TEST(PasswordHashTest, SaltsDiffer) {
  auto a = HashPassword("same", kLow);
  auto b = HashPassword("same", kLow);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordHashTest, RoundTrip) {
  auto h = HashPassword("correct horse", kLow);
  ASSERT_TRUE(h.ok());
  auto ok = Check("correct horse", *h);
  EXPECT_TRUE(ok.match);
  EXPECT_FALSE(ok.needs_rehash);
  EXPECT_FALSE(Check("correct horse ", *h).match);
  EXPECT_FALSE(Check("", *h).match);
}

TEST(PasswordHashTest, Argon2KnownAnswerFromReferenceTool) {
  auto h = HashPasswordWithSalt("password", {.memory_kib = 65536, .iterations = 2}, "somesalt");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, kArgonReference);
  auto h2 = HashPasswordWithSalt("hunter2", kLow, "0123456789abcdef");
  ASSERT_TRUE(h2.ok());
  EXPECT_EQ(*h2, kArgonHunter2);
  EXPECT_TRUE(Check("hunter2", kArgonHunter2).match);
  EXPECT_FALSE(Check("hunter3", kArgonHunter2).match);
}

TEST(PasswordHashTest, PasswordsWithNulBytesAreHashedWhole) {
  std::string a("ab\0cd", 5), b("ab\0ce", 5);
  auto h = HashPassword(a, kLow);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(Check(a, *h).match);
  EXPECT_FALSE(Check(b, *h).match);
  EXPECT_FALSE(Check("ab", *h).match);
}

TEST(PasswordHashTest, WeakerArgonNeedsRehash) {
  // Stored at m=1024; asking for more memory or iterations means rehash.
  auto more_memory = Check("hunter2", kArgonHunter2, {.memory_kib = 2048, .iterations = 2});
  EXPECT_TRUE(more_memory.match);
  EXPECT_TRUE(more_memory.needs_rehash);
  auto more_time = Check("hunter2", kArgonHunter2, {.memory_kib = 1024, .iterations = 3});
  EXPECT_TRUE(more_time.needs_rehash);
  auto stronger_stored = Check("hunter2", kArgonHunter2, {.memory_kib = 512, .iterations = 1});
  EXPECT_TRUE(stronger_stored.match);
  EXPECT_FALSE(stronger_stored.needs_rehash);
  // A mismatch never asks for a rehash.
  EXPECT_FALSE(Check("nope", kArgonHunter2, {.memory_kib = 2048}).needs_rehash);
}

TEST(PasswordHashTest, BcryptVectorsFromOtherTools) {
  auto y = Check("hunter2-bcrypt", kBcrypt2y);
  EXPECT_TRUE(y.match);
  EXPECT_TRUE(y.needs_rehash);  // bcrypt always moves to argon2id
  EXPECT_TRUE(Check("Secret123!", kBcrypt2yCost4).match);
  EXPECT_TRUE(Check("Secret123!", kBcrypt2b).match);
  EXPECT_TRUE(Check("Auth0-export pw", kBcrypt2a).match);
  EXPECT_TRUE(Check("U*U", kBcryptOpenwall).match);
}

TEST(PasswordHashTest, FormatCheckAcceptsWhatVerifyAccepts) {
  for (const char* h : {kArgonReference, kArgonHunter2, kBcrypt2y, kBcrypt2yCost4, kBcrypt2b,
                        kBcrypt2a, kBcryptOpenwall}) {
    EXPECT_TRUE(CheckPasswordHashFormat(h).ok()) << h;
  }
}

TEST(PasswordHashTest, BcryptWrongPasswordIsNoMatch) {
  EXPECT_FALSE(Check("hunter2-bcrypT", kBcrypt2y).match);
  EXPECT_FALSE(Check("", kBcrypt2b).match);
  EXPECT_FALSE(Check("U*V", kBcryptOpenwall).match);
  // bcrypt reads C strings: a NUL would silently truncate, so it never matches.
  EXPECT_FALSE(Check(std::string("Secret123!\0x", 12), kBcrypt2b).match);
}

TEST(PasswordHashTest, MalformedOrUnknownHashesAreInvalidArgument) {
  const std::string bad[] = {
      "",
      "plaintext",
      "$1$abc$def",        // md5crypt
      "$6$salt$hash",      // sha512crypt
      "$y$j9T$salt$hash",  // yescrypt
      "$argon2i$v=19$m=1024,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2d$v=19$m=1024,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2id$v=16$m=1024,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2id$m=1024,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQ",
      "$argon2id$v=19$m=1024,t=2,p=1$c29t!XNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2id$v=19$m=x,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2id$v=19$m=1024,t=2,p=1$$",
      // Costs a stored hash must not be allowed to demand.
      "$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2id$v=19$m=1024,t=4000000,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2id$v=19$m=1024,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$argon2id$v=19$m=1024,t=2,p=0$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",  // unknown variant
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe",   // short
      "$2a$5$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWW",  // cost one digit
      "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",  // cost too low
      "$2a$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",  // cost too high
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC*E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",  // bad alphabet
      std::string("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe\0", 60),
  };
  for (const auto& stored : bad) {
    EXPECT_EQ(CheckPasswordHashFormat(stored).code(), ErrorCode::kInvalidArgument) << stored;
    auto r = VerifyPassword("password", stored, kLow);
    EXPECT_FALSE(r.ok()) << stored;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << stored;
    }
  }
}

TEST(PasswordHashTest, HashRefusesBadParameters) {
  auto tiny = HashPassword("pw", {.memory_kib = 1, .iterations = 1});
  EXPECT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.status().code(), ErrorCode::kInvalidArgument);
  auto short_salt = HashPasswordWithSalt("pw", kLow, "abc");
  EXPECT_EQ(short_salt.status().code(), ErrorCode::kInvalidArgument);
  auto huge = HashPassword("pw", {.memory_kib = 1u << 31, .iterations = 1});
  EXPECT_EQ(huge.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gatehouse::crypto
