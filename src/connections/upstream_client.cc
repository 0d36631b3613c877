#include "connections/upstream_client.h"

#include <map>
#include <mutex>

#include "connections/id_token_check.h"
#include "core/base64url.h"
#include "http/params.h"
#include "jose/jwk.h"

namespace gatehouse::connections {
namespace {

using nlohmann::json;

struct CachedMetadata {
  ProviderMetadata metadata;
  int64_t fetched_at = 0;
};

struct CachedJwks {
  std::map<std::string, jose::VerificationKey> by_kid;
  std::vector<jose::VerificationKey> all;  // for tokens without a kid
  int64_t fetched_at = 0;
};

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

class UpstreamClientImpl final : public UpstreamClient {
 public:
  UpstreamClientImpl(http::OutboundClient& outbound, Clock& clock, UpstreamClientOptions options)
      : outbound_(outbound), clock_(clock), options_(options) {}

  Result<ProviderMetadata> Metadata(const Connection& c) override {
    const std::string url = c.DiscoveryUrl();
    const int64_t now = clock_.NowSeconds();
    {
      std::lock_guard lock(mu_);
      auto it = metadata_.find(url);
      if (it != metadata_.end() && now - it->second.fetched_at < options_.metadata_ttl_seconds &&
          (c.issuer.empty() || it->second.metadata.issuer == c.issuer)) {
        return it->second.metadata;
      }
    }
    GH_ASSIGN_OR_RETURN(json doc, FetchJson(url, "discovery"));
    ProviderMetadata md;
    md.issuer = Str(doc, "issuer");
    md.authorization_endpoint = Str(doc, "authorization_endpoint");
    md.token_endpoint = Str(doc, "token_endpoint");
    md.jwks_uri = Str(doc, "jwks_uri");
    if (md.issuer.empty() || md.authorization_endpoint.empty() || md.token_endpoint.empty() ||
        md.jwks_uri.empty()) {
      return Unavailable("discovery document of " + url + " lacks required endpoints");
    }
    // OIDC Discovery §4.3: the document must be the configured issuer's.
    if (!c.issuer.empty() && md.issuer != c.issuer) {
      return Unauthenticated("discovery issuer " + md.issuer + " is not the configured " +
                             c.issuer);
    }
    if (doc.contains("id_token_signing_alg_values_supported") &&
        doc["id_token_signing_alg_values_supported"].is_array()) {
      for (const auto& a : doc["id_token_signing_alg_values_supported"]) {
        if (a.is_string()) md.id_token_algs.push_back(a.get<std::string>());
      }
    }
    if (doc.contains("token_endpoint_auth_methods_supported") &&
        doc["token_endpoint_auth_methods_supported"].is_array()) {
      const json& methods = doc["token_endpoint_auth_methods_supported"];
      bool basic = false, post = false;
      for (const auto& m : methods) {
        if (m == "client_secret_basic") basic = true;
        if (m == "client_secret_post") post = true;
      }
      md.basic_auth = basic || !post;
    }
    std::lock_guard lock(mu_);
    metadata_[url] = CachedMetadata{md, now};
    return md;
  }

  Result<UpstreamIdentity> Redeem(const Connection& c, const std::string& code,
                                  const std::string& code_verifier, const std::string& redirect_uri,
                                  const std::string& nonce) override {
    GH_ASSIGN_OR_RETURN(ProviderMetadata md, Metadata(c));
    http::OutboundRequest req;
    req.method = "POST";
    req.url = md.token_endpoint;
    req.timeout = options_.timeout;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Accept", "application/json"}};
    std::string body = "grant_type=authorization_code&code=" + http::UrlEncode(code) +
                       "&redirect_uri=" + http::UrlEncode(redirect_uri);
    if (!code_verifier.empty()) body += "&code_verifier=" + http::UrlEncode(code_verifier);
    if (md.basic_auth) {
      // RFC 6749 §2.3.1: both halves form-encoded before base64.
      std::string pair = http::UrlEncode(c.client_id) + ":" + http::UrlEncode(c.client_secret);
      std::string b64 = Base64UrlEncode(pair);
      // Base64UrlEncode is unpadded url-safe; Basic wants standard base64.
      for (char& ch : b64) {
        if (ch == '-') ch = '+';
        if (ch == '_') ch = '/';
      }
      while (b64.size() % 4 != 0) b64 += '=';
      req.headers.emplace_back("Authorization", "Basic " + b64);
    } else {
      body += "&client_id=" + http::UrlEncode(c.client_id) +
              "&client_secret=" + http::UrlEncode(c.client_secret);
    }
    req.body = std::move(body);
    auto res = outbound_.Fetch(req);
    if (!res.ok()) return Unavailable("token endpoint: " + res.status().ToString());
    json tokens = json::parse(res->body, nullptr, false);
    if (res->status != 200) {
      std::string error = tokens.is_object() ? Str(tokens, "error") : "";
      return PermissionDenied("token endpoint refused the code: HTTP " +
                              std::to_string(res->status) + (error.empty() ? "" : " " + error));
    }
    if (!tokens.is_object() || Str(tokens, "id_token").empty()) {
      return Unavailable("token endpoint answer has no id_token");
    }
    IdTokenExpectations expect;
    expect.issuer = md.issuer;
    expect.client_id = c.client_id;
    expect.nonce = nonce;
    expect.allowed_algs = md.id_token_algs;
    GH_ASSIGN_OR_RETURN(json claims, CheckIdToken(Str(tokens, "id_token"), expect,
                                                  KeyLookupFor(md.jwks_uri), clock_));
    return UpstreamIdentity{std::move(claims)};
  }

 private:
  Result<json> FetchJson(const std::string& url, const char* what) {
    http::OutboundRequest req;
    req.url = url;
    req.timeout = options_.timeout;
    req.headers = {{"Accept", "application/json"}};
    auto res = outbound_.Fetch(req);
    if (!res.ok()) return Unavailable(std::string(what) + ": " + res.status().ToString());
    if (res->status != 200) {
      return Unavailable(std::string(what) + ": HTTP " + std::to_string(res->status) + " from " +
                         url);
    }
    json doc = json::parse(res->body, nullptr, false);
    if (!doc.is_object()) return Unavailable(std::string(what) + ": not a JSON object at " + url);
    return doc;
  }

  Status RefreshJwks(const std::string& uri) {
    GH_ASSIGN_OR_RETURN(json doc, FetchJson(uri, "jwks"));
    if (!doc.contains("keys") || !doc["keys"].is_array()) {
      return Unavailable("jwks: no keys array at " + uri);
    }
    CachedJwks fresh;
    fresh.fetched_at = clock_.NowSeconds();
    for (const auto& jwk : doc["keys"]) {
      if (!jwk.is_object() || Str(jwk, "use") == "enc") continue;
      auto key = jose::ParseJwk(jwk);
      if (!key.ok()) continue;  // kinds we cannot use (e.g. OKP) are skipped, not fatal
      auto vk = jose::VerificationKey::Public(std::move(key).value());
      fresh.all.push_back(vk);
      std::string kid = Str(jwk, "kid");
      if (!kid.empty()) fresh.by_kid.emplace(kid, vk);
    }
    std::lock_guard lock(mu_);
    jwks_[uri] = std::move(fresh);
    return Status::Ok();
  }

  // Finds the key by kid in the cache; on a miss (or a stale cache) refetches
  // once, unless the last fetch is younger than jwks_min_refresh_seconds.
  jose::KeyLookup KeyLookupFor(const std::string& uri) {
    return [this, uri](std::string_view kid) -> Result<jose::VerificationKey> {
      for (int attempt = 0; attempt < 2; ++attempt) {
        int64_t now = clock_.NowSeconds();
        bool may_refresh = true;
        {
          std::lock_guard lock(mu_);
          auto it = jwks_.find(uri);
          if (it != jwks_.end()) {
            const CachedJwks& cached = it->second;
            bool fresh = now - cached.fetched_at < options_.jwks_ttl_seconds;
            if (fresh) {
              if (kid.empty() && cached.all.size() == 1) return cached.all.front();
              auto key = cached.by_kid.find(std::string(kid));
              if (key != cached.by_kid.end()) return key->second;
            }
            may_refresh = now - cached.fetched_at >= options_.jwks_min_refresh_seconds;
          }
        }
        if (attempt == 1 || !may_refresh) break;
        GH_RETURN_IF_ERROR(RefreshJwks(uri));
      }
      return NotFound("no upstream key with kid '" + std::string(kid) + "'");
    };
  }

  http::OutboundClient& outbound_;
  Clock& clock_;
  UpstreamClientOptions options_;
  std::mutex mu_;
  std::map<std::string, CachedMetadata> metadata_;
  std::map<std::string, CachedJwks> jwks_;
};

}  // namespace

std::unique_ptr<UpstreamClient> UpstreamClient::Create(http::OutboundClient& outbound, Clock& clock,
                                                       UpstreamClientOptions options) {
  return std::make_unique<UpstreamClientImpl>(outbound, clock, options);
}

}  // namespace gatehouse::connections
