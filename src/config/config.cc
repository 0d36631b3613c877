#include "config/config.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

extern char** environ;

namespace gatehouse::config {
namespace {

// One configuration key: where it lives in TOML, its environment variable,
// how to parse and check it, and a description for docs and --help.
struct Key {
  const char* path;  // "section.key"
  const char* env;   // GATEHOUSE_...
  const char* description;
  // Applies a TOML value; returns an error message or "".
  std::function<std::string(const toml::node&, Config&)> from_toml;
  // Applies an environment string; returns an error message or "".
  std::function<std::string(const std::string&, Config&)> from_env;
  std::function<std::string(const Config&)> show_default;
};

std::string RangeError(int64_t lo, int64_t hi) {
  return "must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi);
}

template <typename T>
Key IntKey(const char* path, const char* env, const char* desc, T Config::*field, int64_t lo,
           int64_t hi) {
  auto set = [=](int64_t v, Config& c) -> std::string {
    if (v < lo || v > hi) return RangeError(lo, hi);
    c.*field = static_cast<T>(v);
    return "";
  };
  return Key{path,
             env,
             desc,
             [=](const toml::node& n, Config& c) -> std::string {
               auto v = n.value_exact<int64_t>();
               return v ? set(*v, c) : RangeError(lo, hi);
             },
             [=](const std::string& s, Config& c) -> std::string {
               int64_t v = 0;
               auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
               if (ec != std::errc() || p != s.data() + s.size()) return RangeError(lo, hi);
               return set(v, c);
             },
             [=](const Config& c) { return std::to_string(c.*field); }};
}

Key StringKey(const char* path, const char* env, const char* desc, std::string Config::*field,
              const std::function<std::string(const std::string&)>& check = nullptr) {
  auto set = [=](const std::string& v, Config& c) -> std::string {
    if (check) {
      std::string err = check(v);
      if (!err.empty()) return err;
    }
    c.*field = v;
    return "";
  };
  return Key{path,
             env,
             desc,
             [=](const toml::node& n, Config& c) -> std::string {
               auto v = n.value_exact<std::string>();
               return v ? set(*v, c) : "must be a string";
             },
             set,
             [=](const Config& c) { return "\"" + c.*field + "\""; }};
}

Key BoolKey(const char* path, const char* env, const char* desc, bool Config::*field) {
  return Key{path,
             env,
             desc,
             [=](const toml::node& n, Config& c) -> std::string {
               auto v = n.value_exact<bool>();
               if (!v) return "must be true or false";
               c.*field = *v;
               return "";
             },
             [=](const std::string& s, Config& c) -> std::string {
               if (s == "true" || s == "1")
                 c.*field = true;
               else if (s == "false" || s == "0")
                 c.*field = false;
               else
                 return "must be true or false";
               return "";
             },
             [=](const Config& c) { return std::string(c.*field ? "true" : "false"); }};
}

// "host:port" with a non-empty host and a port in 1..65535 ("[::1]:8080" allowed).
std::string CheckHostPort(const std::string& v, bool port_required) {
  auto colon = v.rfind(':');
  bool bracketed = !v.empty() && v[0] == '[';
  if (colon == std::string::npos || (bracketed && colon < v.find(']'))) {
    if (port_required) return "must be ADDRESS:PORT, e.g. 127.0.0.1:8080";
    return v.empty() ? "must not be empty" : "";
  }
  if (colon == 0) return "must name a host before the port";
  int port = 0;
  std::string p = v.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || ptr != p.data() + p.size() || port < 1 || port > 65535)
    return "port must be a number between 1 and 65535";
  return "";
}

std::string CheckDomain(const std::string& v) {
  if (v.empty()) return "";  // defaults to listen
  for (char c : v) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' ||
          c == ']'))
      return "must be a host name with an optional :port (no scheme, no path)";
  }
  return CheckHostPort(v, false);
}

// An IPv4/IPv6 address with an optional /prefix; the HTTP layer parses it
// properly at start-up, this only keeps obvious typos (host names) out.
std::string CheckProxy(const std::string& v) {
  if (v.empty()) return "must not be empty";
  for (char c : v) {
    if (!(isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '/'))
      return "must be an IP address or CIDR range";
  }
  return "";
}

// A list of host names or "*.suffix" patterns: a TOML array of strings, or
// comma-separated in the environment.
Key HostListKey(const char* path, const char* env, const char* desc,
                std::vector<std::string> Config::*field) {
  auto check = [](const std::string& h) -> std::string {
    if (h.empty()) return "entries must not be empty";
    for (char c : h) {
      if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '*' ||
            c == ':' || c == '[' || c == ']' || c == '_'))
        return "entries must be host names, IP addresses or *.suffix patterns";
    }
    return "";
  };
  return Key{path,
             env,
             desc,
             [=](const toml::node& n, Config& c) -> std::string {
               const auto* arr = n.as_array();
               if (!arr) return "must be an array of strings";
               (c.*field).clear();
               for (const auto& e : *arr) {
                 auto s = e.value_exact<std::string>();
                 if (!s) return "must be an array of strings";
                 std::string err = check(*s);
                 if (!err.empty()) return err;
                 (c.*field).push_back(*s);
               }
               return "";
             },
             [=](const std::string& s, Config& c) -> std::string {
               (c.*field).clear();
               std::stringstream in(s);
               std::string item;
               while (std::getline(in, item, ',')) {
                 if (item.empty()) continue;
                 std::string err = check(item);
                 if (!err.empty()) return err;
                 (c.*field).push_back(item);
               }
               return "";
             },
             [](const Config&) { return std::string("[]"); }};
}

const std::vector<Key>& Keys() {
  static const auto* keys = new std::vector<Key>{
      StringKey("server.listen", "GATEHOUSE_LISTEN", "address and port to bind", &Config::listen,
                [](const std::string& v) { return CheckHostPort(v, true); }),
      StringKey("server.domain", "GATEHOUSE_DOMAIN",
                "primary domain host[:port] clients reach; names the issuer (default: listen)",
                &Config::domain, CheckDomain),
      Key{"server.custom_domains", "GATEHOUSE_CUSTOM_DOMAINS",
          "further domains served (comma-separated in the environment)",
          [](const toml::node& n, Config& c) -> std::string {
            const auto* arr = n.as_array();
            if (!arr) return "must be an array of strings";
            c.custom_domains.clear();
            for (const auto& e : *arr) {
              auto s = e.value_exact<std::string>();
              if (!s || s->empty() || !CheckDomain(*s).empty())
                return "every entry must be a host[:port] string";
              c.custom_domains.push_back(*s);
            }
            return "";
          },
          [](const std::string& s, Config& c) -> std::string {
            c.custom_domains.clear();
            std::stringstream in(s);
            std::string item;
            while (std::getline(in, item, ',')) {
              if (item.empty()) continue;
              if (!CheckDomain(item).empty()) return "every entry must be a host[:port]";
              c.custom_domains.push_back(item);
            }
            return "";
          },
          [](const Config&) { return std::string("[]"); }},
      Key{"server.trusted_proxies", "GATEHOUSE_TRUSTED_PROXIES",
          "proxies (IPs or CIDR ranges) whose X-Forwarded-For is believed (comma-separated in "
          "the environment)",
          [](const toml::node& n, Config& c) -> std::string {
            const auto* arr = n.as_array();
            if (!arr) return "must be an array of strings";
            c.trusted_proxies.clear();
            for (const auto& e : *arr) {
              auto s = e.value_exact<std::string>();
              if (!s || !CheckProxy(*s).empty()) return "every entry must be an IP or CIDR range";
              c.trusted_proxies.push_back(*s);
            }
            return "";
          },
          [](const std::string& s, Config& c) -> std::string {
            c.trusted_proxies.clear();
            std::stringstream in(s);
            std::string item;
            while (std::getline(in, item, ',')) {
              if (item.empty()) continue;
              if (!CheckProxy(item).empty()) return "every entry must be an IP or CIDR range";
              c.trusted_proxies.push_back(item);
            }
            return "";
          },
          [](const Config&) { return std::string("[]"); }},
      IntKey("server.io_threads", "GATEHOUSE_IO_THREADS", "HTTP I/O threads (0 = cores)",
             &Config::io_threads, 0, 256),
      StringKey("server.tls_cert_file", "GATEHOUSE_TLS_CERT_FILE",
                "PEM certificate chain; with tls_key_file, serve HTTPS", &Config::tls_cert_file),
      StringKey("server.tls_key_file", "GATEHOUSE_TLS_KEY_FILE", "PEM private key for TLS",
                &Config::tls_key_file),
      IntKey("server.drain_timeout_ms", "GATEHOUSE_DRAIN_TIMEOUT_MS",
             "how long shutdown waits for in-flight requests", &Config::drain_timeout_ms, 0,
             600000),
      IntKey("limits.max_header_bytes", "GATEHOUSE_MAX_HEADER_BYTES",
             "largest request header block (431 above)", &Config::max_header_bytes, 1024,
             int64_t{1024} * 1024),
      IntKey("limits.max_body_bytes", "GATEHOUSE_MAX_BODY_BYTES",
             "cap on any request body; routes set lower limits of their own (413 above)",
             &Config::max_body_bytes, 1024, int64_t{1} << 30),
      IntKey("limits.header_timeout_ms", "GATEHOUSE_HEADER_TIMEOUT_MS",
             "time a client has to send its headers (408 after)", &Config::header_timeout_ms, 100,
             600000),
      IntKey("limits.body_timeout_ms", "GATEHOUSE_BODY_TIMEOUT_MS",
             "time a client has to send its body", &Config::body_timeout_ms, 100, 600000),
      IntKey("limits.idle_timeout_ms", "GATEHOUSE_IDLE_TIMEOUT_MS",
             "keep-alive connections idle this long are closed", &Config::idle_timeout_ms, 100,
             3600000),
      IntKey("limits.max_connections", "GATEHOUSE_MAX_CONNECTIONS",
             "open connections above this get 503", &Config::max_connections, 1, 1000000),
      IntKey("limits.login_per_ip_per_minute", "GATEHOUSE_LOGIN_PER_IP_PER_MINUTE",
             "login form posts per client IP per minute, per node (429 above; 0 = off)",
             &Config::login_per_ip_per_minute, 0, 1000000),
      IntKey("limits.login_per_user_per_minute", "GATEHOUSE_LOGIN_PER_USER_PER_MINUTE",
             "login form posts per login name per minute, per node (429 above; 0 = off)",
             &Config::login_per_user_per_minute, 0, 1000000),
      IntKey("limits.token_per_ip_per_minute", "GATEHOUSE_TOKEN_PER_IP_PER_MINUTE",
             "token endpoint requests per client IP per minute, per node (429 above; 0 = off)",
             &Config::token_per_ip_per_minute, 0, 1000000),
      IntKey("limits.token_per_user_per_minute", "GATEHOUSE_TOKEN_PER_USER_PER_MINUTE",
             "password-grant requests per username per minute, per node (429 above; 0 = off)",
             &Config::token_per_user_per_minute, 0, 1000000),
      StringKey("storage.url", "GATEHOUSE_STORAGE_URL",
                "sqlite:PATH (relative to the data directory) or postgresql://user@host:port/db",
                &Config::storage_url,
                [](const std::string& v) -> std::string {
                  if (v.rfind("sqlite:", 0) == 0 && v.size() > 7) return "";
                  for (const char* scheme : {"postgresql://", "postgres://"}) {
                    const size_t n = std::char_traits<char>::length(scheme);
                    if (v.rfind(scheme, 0) == 0 && v.size() > n) return "";
                  }
                  return "must be sqlite:PATH or postgresql://user@host:port/database";
                }),
      IntKey("storage.busy_timeout_ms", "GATEHOUSE_STORAGE_BUSY_TIMEOUT_MS",
             "how long a write waits for a busy database", &Config::storage_busy_timeout_ms, 0,
             600000),
      IntKey("storage.pool_size", "GATEHOUSE_STORAGE_POOL_SIZE",
             "database connections per node", &Config::storage_pool_size, 1, 1000),
      IntKey("rules.threads", "GATEHOUSE_RULES_THREADS", "rules workers (0 = cores)",
             &Config::rules_threads, 0, 256),
      IntKey("rules.timeout_ms", "GATEHOUSE_RULES_TIMEOUT_MS",
             "time limit for all rules of one login", &Config::rules_timeout_ms, 100, 120000),
      IntKey("rules.heap_mb", "GATEHOUSE_RULES_HEAP_MB", "JS heap cap per rules worker",
             &Config::rules_heap_mb, 8, 4096),
      StringKey("rules.node_modules_dir", "GATEHOUSE_RULES_NODE_MODULES_DIR",
                "npm packages rules may require (default: the source tree's node_modules)",
                &Config::rules_node_modules_dir),
      StringKey("rules.dir", "GATEHOUSE_RULES_DIR",
                "load *.js rules from this directory at start-up (by file name order)",
                &Config::rules_dir),
      BoolKey("rules.reload_user_on_resume", "GATEHOUSE_RELOAD_USER_ON_RESUME",
              "second rules pass reloads the user instead of the redirect-time snapshot",
              &Config::reload_user_on_resume),
      IntKey("rules.continue_state_seconds", "GATEHOUSE_CONTINUE_STATE_SECONDS",
             "lifetime of a /continue state", &Config::continue_state_seconds, 60,
             int64_t{3} * 86400),
      BoolKey("rules.allow_http_redirects", "GATEHOUSE_ALLOW_HTTP_REDIRECTS",
              "let rules redirect to plain-http URLs on non-loopback hosts",
              &Config::allow_http_redirects),
      HostListKey("rules.outbound_allow_hosts", "GATEHOUSE_RULES_OUTBOUND_ALLOW_HOSTS",
                  "hosts rules may call (names, IPs or *.suffix; [] = any host not denied)",
                  &Config::rules_outbound_allow_hosts),
      HostListKey("rules.outbound_deny_hosts", "GATEHOUSE_RULES_OUTBOUND_DENY_HOSTS",
                  "hosts rules may never call (wins over the allow list)",
                  &Config::rules_outbound_deny_hosts),
      IntKey("rules.outbound_max_response_bytes", "GATEHOUSE_RULES_OUTBOUND_MAX_RESPONSE_BYTES",
             "largest response body a rule's HTTP call may receive (cut while streaming)",
             &Config::rules_outbound_max_response_bytes, 1024, int64_t{256} * 1024 * 1024),
      BoolKey("rules.outbound_allow_loopback", "GATEHOUSE_RULES_OUTBOUND_ALLOW_LOOPBACK",
              "let rules call loopback addresses (127.0.0.0/8, ::1)",
              &Config::rules_outbound_allow_loopback),
      BoolKey("rules.outbound_allow_private", "GATEHOUSE_RULES_OUTBOUND_ALLOW_PRIVATE",
              "let rules call private addresses (10/8, 172.16/12, 192.168/16, fc00::/7)",
              &Config::rules_outbound_allow_private),
      IntKey("logs.retention_days", "GATEHOUSE_LOG_RETENTION_DAYS",
             "tenant log events older than this are purged", &Config::log_retention_days, 1, 3650),
      IntKey("accounts.argon2_memory_kib", "GATEHOUSE_ARGON2_MEMORY_KIB",
             "argon2id memory of new password hashes (below 19456: benchmarks/tests only)",
             &Config::argon2_memory_kib, 8, 4 * 1024 * 1024),
      IntKey("accounts.argon2_iterations", "GATEHOUSE_ARGON2_ITERATIONS",
             "argon2id passes of new password hashes (below 2: benchmarks/tests only)",
             &Config::argon2_iterations, 1, 64),
      StringKey("log.level", "GATEHOUSE_LOG_LEVEL", "debug, info, warn or error",
                &Config::log_level,
                [](const std::string& v) -> std::string {
                  if (v == "debug" || v == "info" || v == "warn" || v == "error") return "";
                  return "must be one of debug, info, warn, error";
                }),
      BoolKey("log.access_log", "GATEHOUSE_ACCESS_LOG", "one JSON line per HTTP request",
              &Config::access_log),
  };
  return *keys;
}

// Every leaf path in a TOML table, for reporting unknown keys.
void CollectPaths(const toml::table& t, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [k, v] : t) {
    std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = v.as_table()) {
      CollectPaths(*sub, path, out);
    } else {
      out.push_back(path);
    }
  }
}

}  // namespace

std::string Config::ListenHost() const {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return host;
}

uint16_t Config::ListenPort() const {
  return static_cast<uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1)));
}

std::string Config::SqlitePath() const {
  if (storage_url.rfind("sqlite:", 0) != 0) return "";
  std::filesystem::path p = storage_url.substr(7);
  if (p.is_relative()) p = std::filesystem::path(data_dir) / p;
  return p.lexically_normal().string();
}

std::string Config::PostgresUrl() const {
  if (storage_url.rfind("postgresql://", 0) == 0 || storage_url.rfind("postgres://", 0) == 0) {
    return storage_url;
  }
  return "";
}

Environment ProcessEnvironment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    if (kv.rfind("GATEHOUSE_", 0) != 0) continue;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

Result<Config> Load(const std::string& data_dir, const Environment& env) {
  Config c;
  c.data_dir = data_dir;
  std::vector<std::string> errors;
  const std::string file = (std::filesystem::path(data_dir) / "gatehouse.toml").string();

  toml::table table;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    // toml++ reports syntax errors by exception here; it never leaves this function.
    try {
      table = toml::parse_file(file);
    } catch (const toml::parse_error& err) {
      std::ostringstream msg;
      msg << file << ":" << err.source().begin.line << ": " << err.description();
      return InvalidArgument(msg.str());
    }
  }

  std::set<std::string> known;
  for (const auto& key : Keys()) {
    known.insert(key.path);
    if (const toml::node* n = table.at_path(key.path).node()) {
      std::string err = key.from_toml(*n, c);
      if (!err.empty()) errors.push_back("gatehouse.toml: " + std::string(key.path) + ": " + err);
    }
  }
  std::vector<std::string> present;
  CollectPaths(table, "", present);
  for (const auto& p : present) {
    if (!known.count(p)) errors.push_back("gatehouse.toml: " + p + ": unknown key");
  }

  std::set<std::string> known_env = {"GATEHOUSE_DATA_DIR", "GATEHOUSE_BUILD_DIR"};
  for (const auto& key : Keys()) {
    known_env.insert(key.env);
    auto it = env.find(key.env);
    if (it == env.end()) continue;
    std::string err = key.from_env(it->second, c);
    if (!err.empty()) errors.push_back(std::string(key.env) + ": " + err);
  }
  for (const auto& [name, value] : env) {
    if (name.rfind("GATEHOUSE_", 0) == 0 && !known_env.count(name))
      c.warnings.push_back(name + ": unknown setting, ignored (see `gatehouse config --keys`)");
  }

  if (c.tls_cert_file.empty() != c.tls_key_file.empty())
    errors.push_back("server.tls_cert_file and server.tls_key_file must be set together");
  for (const auto* f : {&c.tls_cert_file, &c.tls_key_file}) {
    if (!f->empty() && !std::filesystem::exists(*f, ec))
      errors.push_back("TLS file not found: " + *f);
  }
  if (c.domain.empty()) c.domain = c.listen;

  if (!errors.empty()) {
    std::string msg = "invalid configuration:";
    for (const auto& e : errors) msg += "\n  " + e;
    return InvalidArgument(msg);
  }
  return c;
}

std::string RenderDefaultFile(const std::string& domain, const std::string& listen) {
  std::ostringstream out;
  out << "# Gatehouse configuration. Every key may be overridden by its GATEHOUSE_* environment\n"
         "# variable (run `gatehouse config --keys` for the list). Signing keys and secrets are\n"
         "# not here: they are generated on first start and kept in the database.\n\n"
      << "[server]\n"
      << "listen = \"" << listen << "\"\n"
      << "# The host[:port] clients use; the issuer is http(s)://<domain>/.\n"
      << "domain = \"" << domain << "\"\n"
      << "custom_domains = []\n"
      << "# tls_cert_file = \"/etc/gatehouse/tls.crt\"\n"
      << "# tls_key_file = \"/etc/gatehouse/tls.key\"\n\n"
      << "[limits]\n"
      << "max_header_bytes = 16384\n"
      << "max_body_bytes = 1048576\n"
      << "header_timeout_ms = 10000\n"
      << "idle_timeout_ms = 60000\n"
      << "max_connections = 10000\n\n"
      << "[storage]\n"
      << "url = \"sqlite:gatehouse.db\"\n"
      << "# Several nodes share one PostgreSQL (docs/deployment.md):\n"
      << "# url = \"postgresql://gatehouse@db.internal:5432/gatehouse\"\n\n"
      << "[log]\n"
      << "level = \"info\"\n"
      << "access_log = true\n";
  return out.str();
}

std::vector<std::string> DescribeKeys() {
  Config defaults;
  std::vector<std::string> lines;
  for (const auto& key : Keys()) {
    lines.push_back(std::string(key.path) + "\t" + key.env + "\t" + key.show_default(defaults) +
                    "\t" + key.description);
  }
  return lines;
}

}  // namespace gatehouse::config
