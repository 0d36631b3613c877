#include "http/client_ip.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

Headers Xff(std::initializer_list<std::string> values) {
  Headers h;
  for (const auto& v : values) h.emplace("X-Forwarded-For", v);
  return h;
}

TEST(TrustedProxies, NobodyTrustedMeansThePeerWhateverTheHeaderSays) {
  TrustedProxies none;
  EXPECT_EQ(none.ClientIp("198.51.100.9", Xff({"1.2.3.4"})), "198.51.100.9");
}

TEST(TrustedProxies, UntrustedPeerIsTheClientEvenWithAHeader) {
  auto t = TrustedProxies::Parse({"10.0.0.0/8"});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->ClientIp("198.51.100.9", Xff({"1.2.3.4"})), "198.51.100.9");
}

TEST(TrustedProxies, TrustedPeerForwardsTheRightmostUntrustedHop) {
  auto t = TrustedProxies::Parse({"10.0.0.0/8", "::1"});
  ASSERT_TRUE(t.ok());
  // The client prepended a spoofed hop; the proxy appended the real one.
  EXPECT_EQ(t->ClientIp("10.1.2.3", Xff({"6.6.6.6, 203.0.113.5"})), "203.0.113.5");
  EXPECT_EQ(t->ClientIp("::1", Xff({"203.0.113.5, 10.9.9.9"})), "203.0.113.5");
  // Repeated headers are one list in wire order.
  EXPECT_EQ(t->ClientIp("10.1.2.3", Xff({"6.6.6.6", "203.0.113.7"})), "203.0.113.7");
  // No header from a trusted peer: the peer itself.
  EXPECT_EQ(t->ClientIp("10.1.2.3", Headers{}), "10.1.2.3");
}

TEST(TrustedProxies, MalformedHopStopsAtTheLastTrustedAddress) {
  auto t = TrustedProxies::Parse({"10.0.0.0/8"});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->ClientIp("10.1.2.3", Xff({"not-an-ip"})), "10.1.2.3");
  EXPECT_EQ(t->ClientIp("10.1.2.3", Xff({"203.0.113.5, x\r\nInjected: 1"})), "10.1.2.3");
  EXPECT_EQ(t->ClientIp("10.1.2.3", Xff({"203.0.113.5, garbage, 10.0.0.2"})), "10.0.0.2");
  EXPECT_EQ(t->ClientIp("10.1.2.3", Xff({""})), "10.1.2.3");
}

TEST(TrustedProxies, RangesAndFamilies) {
  auto t = TrustedProxies::Parse({"192.168.0.0/16", "fd00::/8", "127.0.0.1"});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->Contains("192.168.200.1"));
  EXPECT_FALSE(t->Contains("192.169.0.1"));
  EXPECT_TRUE(t->Contains("fd12::1"));
  EXPECT_FALSE(t->Contains("fe80::1"));
  EXPECT_TRUE(t->Contains("::ffff:127.0.0.1"));  // IPv4-mapped
  EXPECT_FALSE(t->Contains("127.0.0.2"));
  EXPECT_FALSE(t->Contains("garbage"));
  EXPECT_FALSE(t->Contains(""));
}

TEST(TrustedProxies, ParseRejectsMalformedEntries) {
  EXPECT_FALSE(TrustedProxies::Parse({"10.0.0.0/33"}).ok());
  EXPECT_FALSE(TrustedProxies::Parse({"10.0.0.0/"}).ok());
  EXPECT_FALSE(TrustedProxies::Parse({"::/129"}).ok());
  EXPECT_FALSE(TrustedProxies::Parse({"proxy.example"}).ok());
  EXPECT_FALSE(TrustedProxies::Parse({"10.0.0.0/-1"}).ok());
  EXPECT_TRUE(TrustedProxies::Parse({"0.0.0.0/0"}).ok());
}

}  // namespace
}  // namespace gatehouse::http
