// TLS: a self-signed certificate generated at test time, requests via curl -k.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "http/server.h"
#include "http/test_server.h"

namespace gatehouse::http {
namespace {

using namespace std::chrono_literals;

std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gh_http_tls_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=localhost -keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(TlsTest, ServesOverTls) {
  if (std::system("command -v curl >/dev/null 2>&1") != 0) GTEST_SKIP() << "curl not installed";
  auto router = std::make_shared<Router>();
  router->Add("GET", "/hi", [](Request& r) {
    return Response::Json(200, {{"tls", r.tls}, {"name", r.query.Get("name").value_or("")}});
  });
  ServerOptions o;  // access log left on: its lines show up in the test output
  o.tls_cert_file = dir_ + "/cert.pem";
  o.tls_key_file = dir_ + "/key.pem";
  auto server = testing::StartServer(router, o);
  ASSERT_NE(server, nullptr);
  std::string url = "https://127.0.0.1:" + std::to_string(server->port()) + "/hi?name=";
  // Two URLs in one curl call reuse the connection: keep-alive over TLS.
  std::string out = RunCommand("curl -sk --max-time 10 '" + url + "a' '" + url + "b'");
  EXPECT_EQ(out, R"({"name":"a","tls":true}{"name":"b","tls":true})");
  // Plain HTTP to the TLS port does not get an answer.
  std::string plain =
      RunCommand("curl -s --max-time 5 http://127.0.0.1:" + std::to_string(server->port()) + "/hi");
  EXPECT_EQ(plain.find("tls"), std::string::npos);
  server->Shutdown(1s);
}

TEST_F(TlsTest, BadKeyFileIsInvalidArgument) {
  ServerOptions o;
  o.tls_cert_file = dir_ + "/cert.pem";
  o.tls_key_file = dir_ + "/cert.pem";  // not a key
  auto server = Server::Create(o, std::make_shared<Router>());
  EXPECT_EQ(server.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gatehouse::http
