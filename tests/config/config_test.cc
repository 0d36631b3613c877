#include "config/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace gatehouse::config {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gh-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(dir_ / "gatehouse.toml") << text; }
  std::filesystem::path dir_;
};

TEST_F(ConfigTest, MissingFileMeansDefaults) {
  auto c = Load(dir_.string(), {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->domain, "127.0.0.1:8080");  // defaults to listen
  EXPECT_EQ(c->ListenHost(), "127.0.0.1");
  EXPECT_EQ(c->ListenPort(), 8080);
  EXPECT_EQ(c->SqlitePath(), (dir_ / "gatehouse.db").string());
  EXPECT_FALSE(c->Tls());
}

TEST_F(ConfigTest, RenderedDefaultFileLoadsBack) {
  Write(RenderDefaultFile("id.example.com", "0.0.0.0:9443"));
  auto c = Load(dir_.string(), {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->domain, "id.example.com");
  EXPECT_EQ(c->listen, "0.0.0.0:9443");
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  Write("[server]\nlisten = \"127.0.0.1:1000\"\n[limits]\nmax_body_bytes = 2048\n");
  auto c = Load(dir_.string(), {{"GATEHOUSE_LISTEN", "127.0.0.1:2000"},
                                {"GATEHOUSE_MAX_BODY_BYTES", "4096"},
                                {"GATEHOUSE_ACCESS_LOG", "false"},
                                {"GATEHOUSE_CUSTOM_DOMAINS", "a.example,b.example:8443"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->listen, "127.0.0.1:2000");
  EXPECT_EQ(c->max_body_bytes, 4096);
  EXPECT_FALSE(c->access_log);
  EXPECT_EQ(c->custom_domains, (std::vector<std::string>{"a.example", "b.example:8443"}));
}

TEST_F(ConfigTest, RulesOutboundKeysFromFileAndEnvironment) {
  auto defaults = Load(dir_.string(), {});
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_TRUE(defaults->rules_outbound_allow_hosts.empty());
  EXPECT_EQ(defaults->rules_outbound_max_response_bytes, 1024 * 1024);
  EXPECT_TRUE(defaults->rules_outbound_allow_loopback);

  Write(
      "[rules]\noutbound_allow_hosts = [\"api.example.com\", \"*.crm.example\"]\n"
      "outbound_deny_hosts = [\"10.0.0.1\"]\noutbound_max_response_bytes = 65536\n"
      "outbound_allow_private = false\n");
  auto c = Load(dir_.string(), {{"GATEHOUSE_RULES_OUTBOUND_DENY_HOSTS", "a.example,b.example"},
                                {"GATEHOUSE_RULES_OUTBOUND_ALLOW_LOOPBACK", "false"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->rules_outbound_allow_hosts,
            (std::vector<std::string>{"api.example.com", "*.crm.example"}));
  EXPECT_EQ(c->rules_outbound_deny_hosts, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(c->rules_outbound_max_response_bytes, 65536);
  EXPECT_FALSE(c->rules_outbound_allow_private);
  EXPECT_FALSE(c->rules_outbound_allow_loopback);

  Write("[rules]\noutbound_allow_hosts = [\"https://api.example.com/\"]\n");
  auto bad = Load(dir_.string(), {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("rules.outbound_allow_hosts"), std::string::npos)
      << bad.status().message();
}

TEST_F(ConfigTest, ReportsEveryProblemAtOnce) {
  Write(
      "[server]\nlisten = \"nowhere\"\ntls_cert_file = \"/no/such.crt\"\n"
      "[limits]\nmax_body_bytes = 1\nheader_timeout_ms = \"soon\"\n"
      "[log]\nlevel = \"loud\"\ncolour = true\n");
  auto c = Load(dir_.string(), {{"GATEHOUSE_IDLE_TIMEOUT_MS", "forever"}});
  ASSERT_FALSE(c.ok());
  const std::string m = c.status().message();
  EXPECT_NE(m.find("server.listen"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.max_body_bytes"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.header_timeout_ms"), std::string::npos) << m;
  EXPECT_NE(m.find("log.level"), std::string::npos) << m;
  EXPECT_NE(m.find("log.colour: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("GATEHOUSE_IDLE_TIMEOUT_MS"), std::string::npos) << m;
  EXPECT_NE(m.find("set together"), std::string::npos) << m;
  EXPECT_NE(m.find("/no/such.crt"), std::string::npos) << m;
}

TEST_F(ConfigTest, SyntaxErrorNamesTheLine) {
  Write("[server]\nlisten = \n");
  auto c = Load(dir_.string(), {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("gatehouse.toml:2"), std::string::npos)
      << c.status().message();
}

TEST_F(ConfigTest, UnknownEnvironmentVariableIsAWarningNotAnError) {
  auto c = Load(dir_.string(), {{"GATEHOUSE_NOT_A_SETTING", "1"}});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_NE(c->warnings[0].find("GATEHOUSE_NOT_A_SETTING"), std::string::npos);
}

TEST_F(ConfigTest, RejectsDomainsWithSchemeOrPath) {
  auto a = Load(dir_.string(), {{"GATEHOUSE_DOMAIN", "https://id.example.com"}});
  EXPECT_FALSE(a.ok());
  auto b = Load(dir_.string(), {{"GATEHOUSE_DOMAIN", "id.example.com/x"}});
  EXPECT_FALSE(b.ok());
  auto d = Load(dir_.string(), {{"GATEHOUSE_DOMAIN", "id.example.com:99999"}});
  EXPECT_FALSE(d.ok());
}

TEST(ConfigKeys, EveryKeyHasAnEnvironmentVariable) {
  for (const auto& line : DescribeKeys()) EXPECT_NE(line.find("\tGATEHOUSE_"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::config

namespace gatehouse::config {
namespace {

TEST(ConfigRules, ContinueStateLifetimeIsCappedAtThreeDays) {
  auto dir =
      std::filesystem::temp_directory_path() / ("gh-config-rules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto ok = Load(dir.string(), {{"GATEHOUSE_CONTINUE_STATE_SECONDS", "259200"},
                                {"GATEHOUSE_RELOAD_USER_ON_RESUME", "true"}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->continue_state_seconds, 259200);
  EXPECT_TRUE(ok->reload_user_on_resume);
  EXPECT_FALSE(Load(dir.string(), {{"GATEHOUSE_CONTINUE_STATE_SECONDS", "259201"}}).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gatehouse::config
