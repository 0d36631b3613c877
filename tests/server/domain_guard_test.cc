#include "server/domain_guard.h"

#include <gtest/gtest.h>

namespace gatehouse::server {
namespace {

TEST(DomainGuard, AdmitsConfiguredDomainsCaseInsensitively) {
  DomainGuard guard({"id.example.com", "login.brand.example:8443"});
  EXPECT_TRUE(guard.Allows("id.example.com"));
  EXPECT_TRUE(guard.Allows("ID.Example.COM"));
  EXPECT_TRUE(guard.Allows("login.brand.example:8443"));
  EXPECT_FALSE(guard.Allows("login.brand.example"));  // the port is part of the name
  EXPECT_FALSE(guard.Allows("id.example.com.evil.example"));
  EXPECT_FALSE(guard.Allows("evil.example"));
  EXPECT_FALSE(guard.Allows(""));
}

TEST(DomainGuard, LoopbackDomainAdmitsEveryLoopbackSpellingAndPort) {
  DomainGuard guard({"127.0.0.1:8080"});
  EXPECT_TRUE(guard.Allows("127.0.0.1:8080"));
  EXPECT_TRUE(guard.Allows("localhost:8080"));
  EXPECT_TRUE(guard.Allows("[::1]:8080"));
  EXPECT_TRUE(guard.Allows("localhost:9000"));
  EXPECT_TRUE(guard.Allows("LOCALHOST"));
  EXPECT_FALSE(guard.Allows("localhost:80@evil.example"));
  EXPECT_FALSE(guard.Allows("localhost.evil.example:8080"));
  EXPECT_FALSE(guard.Allows("127.0.0.2:8080"));
  EXPECT_FALSE(guard.Allows("evil.example:8080"));
}

TEST(DomainGuard, PublicDomainAdmitsNoLoopbackName) {
  DomainGuard guard({"id.example.com"});
  EXPECT_FALSE(guard.Allows("localhost:8080"));
  EXPECT_FALSE(guard.Allows("127.0.0.1"));
}

}  // namespace
}  // namespace gatehouse::server
