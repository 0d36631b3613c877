#pragma once
// Typed configuration: DIR/gatehouse.toml plus GATEHOUSE_* environment
// overrides, validated once at start-up. Every key, its default, its
// environment variable and its check live in one table (config.cc), which also
// produces docs/configuration.md's reference (`gatehouse config --keys`).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::config {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";  // ADDR:PORT to bind
  std::string domain;                     // primary host[:port]; defaults to `listen`
  std::vector<std::string> custom_domains;
  int io_threads = 0;         // 0 = number of cores
  std::string tls_cert_file;  // both set => serve HTTPS
  std::string tls_key_file;
  int drain_timeout_ms = 10000;  // graceful shutdown budget
  // Peers (addresses or CIDR ranges) whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  // [limits]
  int64_t max_header_bytes = 16 * 1024;
  int64_t max_body_bytes = 1024 * 1024;  // cap on any request body; routes may set lower limits
  int header_timeout_ms = 10000;
  int body_timeout_ms = 30000;
  int idle_timeout_ms = 60000;
  int64_t max_connections = 10000;
  // Abuse limits (token buckets per node; 0 = off): POST /u/login and
  // POST /oauth/token per client IP, and per login name (password grant).
  // Sized for one office behind one NAT address and for test suites on
  // loopback; the durable per-user-and-IP brute-force block (10 failures)
  // stays the guard against password guessing.
  int login_per_ip_per_minute = 300;
  int login_per_user_per_minute = 60;
  int token_per_ip_per_minute = 3000;
  int token_per_user_per_minute = 60;
  // [storage]
  // sqlite:PATH (relative to the data dir), or postgresql://... / postgres://...
  std::string storage_url = "sqlite:gatehouse.db";
  int storage_busy_timeout_ms = 5000;
  int storage_pool_size = 8;  // database connections per node (both backends)
  // [rules]
  int rules_threads = 0;               // rules workers (0 = number of cores)
  int rules_timeout_ms = 20000;        // whole pipeline of one login (SPEC §4.2)
  int rules_heap_mb = 64;              // JS heap cap per worker context
  std::string rules_node_modules_dir;  // npm packages rules may require ("" = the source tree's)
  std::string rules_dir;               // load *.js rules from here at start-up ("" = none)
  bool reload_user_on_resume = false;  // SPEC §3.2: false = second pass sees the snapshot
  int continue_state_seconds = 3600;   // lifetime of a /continue state (max 3 days)
  bool allow_http_redirects = false;   // let rules redirect to non-loopback http:// URLs
  // Outbound HTTP from rules (fetch / request / axios; docs/outbound.md).
  std::vector<std::string> rules_outbound_allow_hosts;  // empty = any host not denied
  std::vector<std::string> rules_outbound_deny_hosts;
  int64_t rules_outbound_max_response_bytes = 1024 * 1024;
  bool rules_outbound_allow_loopback = true;
  bool rules_outbound_allow_private = true;
  // [logs]
  int log_retention_days = 30;  // tenant log events older than this are purged
  // [accounts] argon2id cost of new password hashes (OWASP minimum by default;
  // stored hashes below it are upgraded at the next login). Lower values are
  // for benchmarks and tests only (bench/run's fast test hash).
  int argon2_memory_kib = 19 * 1024;
  int argon2_iterations = 2;
  // [log]
  std::string log_level = "info";
  bool access_log = true;

  // Filled by Load, not read from the file.
  std::string data_dir;
  // Non-fatal findings for the log (e.g. unknown GATEHOUSE_* variables).
  std::vector<std::string> warnings;

  // Listen address split into host and port (validated by Load).
  std::string ListenHost() const;
  uint16_t ListenPort() const;
  bool Tls() const { return !tls_cert_file.empty(); }
  // The absolute SQLite file path when storage_url is sqlite:..., else empty.
  std::string SqlitePath() const;
  // storage_url when it names PostgreSQL (postgresql:// or postgres://), else empty.
  std::string PostgresUrl() const;
};

using Environment = std::map<std::string, std::string>;

// The process environment's GATEHOUSE_* variables.
Environment ProcessEnvironment();

// Reads DIR/gatehouse.toml (absent file = all defaults), applies `env`
// overrides, validates. On failure returns InvalidArgument whose message lists
// every problem found, one per line ("gatehouse.toml: limits.max_body_bytes:
// must be between 1024 and 1073741824"), so an operator fixes them in one go.
// Unknown keys are errors (they are usually typos).
Result<Config> Load(const std::string& data_dir, const Environment& env);

// Renders a commented gatehouse.toml with the given primary domain and listen
// address (for `gatehouse init`).
std::string RenderDefaultFile(const std::string& domain, const std::string& listen);

// One line per key: "section.key  GATEHOUSE_ENV  default  description".
std::vector<std::string> DescribeKeys();

}  // namespace gatehouse::config
