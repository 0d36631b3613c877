#include "oauth/issuer.h"

#include <gtest/gtest.h>

namespace gatehouse::oauth {
namespace {

http::Request WithHost(std::string host, bool tls) {
  http::Request r;
  r.headers.emplace("Host", std::move(host));
  r.tls = tls;
  return r;
}

TEST(IssuerTest, HttpsUsesHostWithoutDefaultPort) {
  EXPECT_EQ(IssuerFor(WithHost("Login.Example.com", true)), "https://login.example.com/");
  EXPECT_EQ(IssuerFor(WithHost("login.example.com:443", true)), "https://login.example.com/");
  EXPECT_EQ(IssuerFor(WithHost("login.example.com:8443", true)), "https://login.example.com:8443/");
}

TEST(IssuerTest, PlainHttpKeepsThePort) {
  EXPECT_EQ(IssuerFor(WithHost("127.0.0.1:8080", false)), "http://127.0.0.1:8080/");
  EXPECT_EQ(IssuerFor(WithHost("localhost:80", false)), "http://localhost/");
}

}  // namespace
}  // namespace gatehouse::oauth
