// OutboundClient against a FakeUpstream on 127.0.0.1: what reaches the
// upstream, what comes back, and every refusal of the policy.

#include "http/outbound.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "http/fake_upstream.h"

namespace gatehouse::http {
namespace {

using std::chrono::milliseconds;
using testing::FakeUpstream;
using testing::UpstreamConnection;
using testing::UpstreamRequest;

std::unique_ptr<OutboundClient> Client(OutboundPolicy policy = {}) {
  return OutboundClient::Create(std::move(policy));
}

OutboundRequest Get(std::string url, milliseconds timeout = milliseconds(5000)) {
  OutboundRequest r;
  r.url = std::move(url);
  r.timeout = timeout;
  return r;
}

TEST(OutboundClientTest, ReturnsStatusHeadersAndBody) {
  auto up = FakeUpstream::Start([](const UpstreamRequest& req, UpstreamConnection& c) {
    c.Respond(201, "hello " + req.target,
              {{"X-Reply", "one"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}});
  });
  ASSERT_NE(up, nullptr);
  auto r = Client()->Fetch(Get(up->Url("/path?q=1")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "hello /path?q=1");
  EXPECT_EQ(r->Header("x-reply"), "one");
  EXPECT_EQ(r->Header("x-absent"), "");
  int cookies = 0;
  for (const auto& [name, value] : r->headers) cookies += name == "set-cookie" ? 1 : 0;
  EXPECT_EQ(cookies, 2);
  EXPECT_EQ(r->url, up->Url("/path?q=1"));
}

TEST(OutboundClientTest, ErrorStatusIsAResultNotAnError) {
  auto up = FakeUpstream::Start(
      [](const UpstreamRequest&, UpstreamConnection& c) { c.Respond(503, "down"); });
  ASSERT_NE(up, nullptr);
  auto r = Client()->Fetch(Get(up->Url("/")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, "down");
}

TEST(OutboundClientTest, SendsMethodHeadersAndBody) {
  auto up = FakeUpstream::Start(
      [](const UpstreamRequest&, UpstreamConnection& c) { c.Respond(200, "ok"); });
  ASSERT_NE(up, nullptr);
  OutboundRequest req = Get(up->Url("/token"));
  req.method = "POST";
  req.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer abc"}};
  req.body = R"({"grant_type":"client_credentials"})";
  auto r = Client()->Fetch(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto seen = up->requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/token");
  EXPECT_EQ(seen[0].Header("content-type"), "application/json");
  EXPECT_EQ(seen[0].Header("authorization"), "Bearer abc");
  EXPECT_EQ(seen[0].body, req.body);
  EXPECT_EQ(seen[0].Header("expect"), "");  // no 100-continue round trip
}

TEST(OutboundClientTest, SendsPutAndDeleteWithTheirMethod) {
  auto up = FakeUpstream::Start(
      [](const UpstreamRequest&, UpstreamConnection& c) { c.Respond(204, ""); });
  ASSERT_NE(up, nullptr);
  auto client = Client();
  OutboundRequest put = Get(up->Url("/r"));
  put.method = "PUT";
  put.body = "x=1";
  OutboundRequest del = Get(up->Url("/r"));
  del.method = "DELETE";
  ASSERT_TRUE(client->Fetch(put).ok());
  ASSERT_TRUE(client->Fetch(del).ok());
  auto seen = up->requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].body, "x=1");
  EXPECT_EQ(seen[1].method, "DELETE");
  EXPECT_EQ(seen[1].body, "");
}

TEST(OutboundClientTest, StalledUpstreamEndsAtTheTimeout) {
  auto up = FakeUpstream::Start(
      [](const UpstreamRequest&, UpstreamConnection& c) { c.WaitForClientClose(); });
  ASSERT_NE(up, nullptr);
  auto r = Client()->Fetch(Get(up->Url("/slow"), milliseconds(200)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kExpired) << r.status().ToString();
}

TEST(OutboundClientTest, HugeStreamedResponseIsCutAtTheCap) {
  // Chunked, no Content-Length: the cap must hold while streaming. The
  // upstream would send 100 MB; the handler stops when the client hangs up.
  std::atomic<int64_t> sent{0};
  auto up = FakeUpstream::Start([&sent](const UpstreamRequest&, UpstreamConnection& c) {
    if (!c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) return;
    std::string chunk(64 * 1024, 'a');
    std::string framed = "10000\r\n" + chunk + "\r\n";
    for (int64_t total = 0; total < 100 * 1024 * 1024; total += 64 * 1024) {
      if (!c.Write(framed)) return;
      sent += 64 * 1024;
    }
    c.Write("0\r\n\r\n");
  });
  ASSERT_NE(up, nullptr);
  OutboundPolicy policy;
  policy.max_response_bytes = 1024 * 1024;
  auto r = Client(policy)->Fetch(Get(up->Url("/big")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kResourceExhausted) << r.status().ToString();
  up.reset();  // joins the handler
  EXPECT_LT(sent.load(), 100 * 1024 * 1024);
}

TEST(OutboundClientTest, DeclaredLengthOverTheCapIsRefusedUpFront) {
  auto up = FakeUpstream::Start([](const UpstreamRequest&, UpstreamConnection& c) {
    c.Write("HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n");
    c.WaitForClientClose();
  });
  ASSERT_NE(up, nullptr);
  OutboundPolicy policy;
  policy.max_response_bytes = 1024;
  auto r = Client(policy)->Fetch(Get(up->Url("/big")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kResourceExhausted);
}

TEST(OutboundClientTest, BodyExactlyAtTheCapIsAccepted) {
  auto up = FakeUpstream::Start([](const UpstreamRequest&, UpstreamConnection& c) {
    c.Respond(200, std::string(1024, 'b'));
  });
  ASSERT_NE(up, nullptr);
  OutboundPolicy policy;
  policy.max_response_bytes = 1024;
  auto r = Client(policy)->Fetch(Get(up->Url("/")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body.size(), 1024u);
}

TEST(OutboundClientTest, MetadataAddressIsRefusedWithoutConnecting) {
  // A 30 s timeout: if the refusal waited for a connect attempt, the test
  // would hang on an unroutable address instead of failing fast.
  auto client = Client();
  for (const char* url :
       {"http://169.254.169.254/latest/meta-data/", "http://169.254.1.1/", "http://[fe80::1]/",
        "http://[fd00:ec2::254]/", "http://[::ffff:169.254.169.254]/",
        "http://[64:ff9b::a9fe:a9fe]/", "http://metadata.google.internal/computeMetadata/v1/",
        "http://METADATA.google.internal./"}) {
    auto r = client->Fetch(Get(url, milliseconds(30000)));
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), ErrorCode::kPermissionDenied)
        << url << " " << r.status().ToString();
  }
}

TEST(OutboundClientTest, MetadataAddressIsRefusedEvenWhenAllowListed) {
  OutboundPolicy policy;
  policy.allow_hosts = {"169.254.169.254"};
  auto r = Client(policy)->Fetch(Get("http://169.254.169.254/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kPermissionDenied);
}

TEST(OutboundClientTest, LoopbackRefusedWhenPolicySaysSo) {
  auto up = FakeUpstream::Start(
      [](const UpstreamRequest&, UpstreamConnection& c) { c.Respond(200, "ok"); });
  ASSERT_NE(up, nullptr);
  OutboundPolicy policy;
  policy.allow_loopback = false;
  auto client = Client(policy);
  // By literal and by a name that resolves to loopback: the check is on the
  // address connected to, not on the spelling of the host.
  std::string port = std::to_string(up->port());
  for (const std::string& url : {up->Url("/"), "http://localhost:" + port + "/"}) {
    auto r = client->Fetch(Get(url));
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), ErrorCode::kPermissionDenied) << url;
  }
  EXPECT_TRUE(up->requests().empty());
}

TEST(OutboundClientTest, PrivateAddressRefusedWhenPolicySaysSo) {
  OutboundPolicy policy;
  policy.allow_private = false;
  // Refused before connect(): nothing is sent to these (non-local) addresses.
  for (const char* url :
       {"http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.0.1/", "http://[fd12::1]/"}) {
    auto r = Client(policy)->Fetch(Get(url, milliseconds(30000)));
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), ErrorCode::kPermissionDenied) << url;
  }
}

TEST(OutboundClientTest, DenyListWinsOverAllowList) {
  auto up = FakeUpstream::Start(
      [](const UpstreamRequest&, UpstreamConnection& c) { c.Respond(200, "ok"); });
  ASSERT_NE(up, nullptr);
  std::string port = std::to_string(up->port());
  OutboundPolicy policy;
  policy.allow_hosts = {"127.0.0.1", "localhost"};
  policy.deny_hosts = {"LOCALHOST"};
  auto client = Client(policy);
  auto denied = client->Fetch(Get("http://localhost:" + port + "/"));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(denied.status().message().find("localhost"), std::string::npos);
  auto allowed = client->Fetch(Get(up->Url("/")));
  EXPECT_TRUE(allowed.ok()) << allowed.status().ToString();
  EXPECT_EQ(up->requests().size(), 1u);
}

TEST(OutboundClientTest, AllowListRefusesOtherHostsAndMatchesWildcards) {
  OutboundPolicy policy;
  policy.allow_hosts = {"*.example.com"};
  auto client = Client(policy);
  auto apex = client->Fetch(Get("http://example.com/"));
  ASSERT_FALSE(apex.ok());
  EXPECT_EQ(apex.status().code(), ErrorCode::kPermissionDenied);
  auto other = client->Fetch(Get("http://127.0.0.1:1/"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), ErrorCode::kPermissionDenied);
  auto evil = client->Fetch(Get("http://api.example.com.evil.test/"));
  ASSERT_FALSE(evil.ok());
  EXPECT_EQ(evil.status().code(), ErrorCode::kPermissionDenied);
}

TEST(OutboundClientTest, RedirectsAreFollowedAndEachHopChecked) {
  std::unique_ptr<FakeUpstream> up;
  up = FakeUpstream::Start([](const UpstreamRequest& req, UpstreamConnection& c) {
    if (req.target == "/start") {
      c.Respond(302, "", {{"Location", "/next"}});
    } else if (req.target == "/next") {
      c.Respond(200, "arrived via " + req.method);
    } else if (req.target == "/to-metadata") {
      c.Respond(302, "", {{"Location", "http://169.254.169.254/latest/"}});
    } else if (req.target == "/to-denied") {
      c.Respond(307, "", {{"Location", "http://denied.test/"}});
    } else {
      c.Respond(302, "", {{"Location", "/loop"}});
    }
  });
  ASSERT_NE(up, nullptr);
  OutboundPolicy policy;
  policy.deny_hosts = {"denied.test"};
  policy.max_redirects = 3;
  auto client = Client(policy);

  OutboundRequest post = Get(up->Url("/start"));
  post.method = "POST";
  post.body = "a=1";
  auto followed = client->Fetch(post);
  ASSERT_TRUE(followed.ok()) << followed.status().ToString();
  EXPECT_EQ(followed->status, 200);
  EXPECT_EQ(followed->body, "arrived via GET");  // 302 after POST becomes GET
  EXPECT_EQ(followed->url, up->Url("/next"));

  auto metadata = client->Fetch(Get(up->Url("/to-metadata")));
  ASSERT_FALSE(metadata.ok());
  EXPECT_EQ(metadata.status().code(), ErrorCode::kPermissionDenied);

  auto denied = client->Fetch(Get(up->Url("/to-denied")));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), ErrorCode::kPermissionDenied);

  auto loop = client->Fetch(Get(up->Url("/loop")));
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(loop.status().code(), ErrorCode::kUnavailable);
}

TEST(OutboundClientTest, CredentialsAreNotForwardedToAnotherHost) {
  auto target = FakeUpstream::Start(
      [](const UpstreamRequest&, UpstreamConnection& c) { c.Respond(200, "ok"); });
  ASSERT_NE(target, nullptr);
  // Same address, different host name: 127.0.0.1 -> localhost.
  std::string next = "http://localhost:" + std::to_string(target->port()) + "/";
  auto origin = FakeUpstream::Start([next](const UpstreamRequest&, UpstreamConnection& c) {
    c.Respond(307, "", {{"Location", next}});
  });
  ASSERT_NE(origin, nullptr);
  OutboundRequest req = Get(origin->Url("/"));
  req.headers = {{"Authorization", "Bearer secret"}, {"X-Other", "kept"}};
  auto r = Client()->Fetch(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(origin->requests().at(0).Header("authorization"), "Bearer secret");
  auto seen = target->requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].Header("authorization"), "");
  EXPECT_EQ(seen[0].Header("x-other"), "kept");
}

TEST(OutboundClientTest, RefusesCrLfInHeadersAndBadUrls) {
  auto client = Client();
  OutboundRequest injected = Get("http://127.0.0.1:1/");
  injected.headers = {{"X-A", "v\r\nX-Injected: 1"}};
  EXPECT_EQ(client->Fetch(injected).status().code(), ErrorCode::kInvalidArgument);
  OutboundRequest bad_name = Get("http://127.0.0.1:1/");
  bad_name.headers = {{"X-A\r\nX-B", "v"}};
  EXPECT_EQ(client->Fetch(bad_name).status().code(), ErrorCode::kInvalidArgument);
  OutboundRequest bad_method = Get("http://127.0.0.1:1/");
  bad_method.method = "GET /x HTTP/1.1\r\n";
  EXPECT_EQ(client->Fetch(bad_method).status().code(), ErrorCode::kInvalidArgument);
  for (const char* url :
       {"file:///etc/passwd", "gopher://127.0.0.1/", "not a url", "http://127.0.0.1/\r\nX: y"}) {
    EXPECT_EQ(client->Fetch(Get(url)).status().code(), ErrorCode::kInvalidArgument) << url;
  }
}

TEST(OutboundClientTest, ConnectionRefusedIsUnavailable) {
  int port;
  {
    auto up = FakeUpstream::Start([](const UpstreamRequest&, UpstreamConnection&) {});
    ASSERT_NE(up, nullptr);
    port = up->port();
  }  // closed: nothing listens there now
  auto r = Client()->Fetch(Get("http://127.0.0.1:" + std::to_string(port) + "/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable) << r.status().ToString();
}

}  // namespace
}  // namespace gatehouse::http
