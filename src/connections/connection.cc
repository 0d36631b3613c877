#include "connections/connection.h"

#include <algorithm>
#include <set>

namespace gatehouse::connections {
namespace {

using nlohmann::json;

Status Invalid(const std::string& what) {
  return InvalidArgument("Payload validation error: " + what);
}

// Upstream URLs carry secrets (the token request) and decide trust (the
// JWKS): https only, except loopback hosts, which tests and local IdPs use.
bool AcceptableUrl(const std::string& url) {
  if (url.rfind("https://", 0) == 0) return url.size() > 8;
  for (const char* prefix :
       {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/"}) {
    if (url.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

bool Connection::EnabledFor(const std::string& client) const {
  return std::find(enabled_clients.begin(), enabled_clients.end(), client) != enabled_clients.end();
}

std::string Connection::DiscoveryUrl() const {
  if (!discovery_url.empty()) return discovery_url;
  return TrimSlash(issuer) + "/.well-known/openid-configuration";
}

json Connection::ToRecord() const {
  json mapping = json::object();
  for (const auto& [k, v] : claim_mapping) mapping[k] = v;
  return {{"id", id},
          {"name", name},
          {"display_name", display_name},
          {"issuer", issuer},
          {"discovery_url", discovery_url},
          {"client_id", client_id},
          {"client_secret", client_secret},
          {"scopes", scopes},
          {"pkce", pkce},
          {"is_social", is_social},
          {"claim_mapping", mapping},
          {"link_by_verified_email", link_by_verified_email},
          {"is_domain_connection", is_domain_connection},
          {"enabled_clients", enabled_clients}};
}

Result<Connection> Connection::FromRecord(const json& data) {
  try {
    Connection c;
    c.id = data.at("id").get<std::string>();
    c.name = data.at("name").get<std::string>();
    c.display_name = data.value("display_name", "");
    c.issuer = data.value("issuer", "");
    c.discovery_url = data.value("discovery_url", "");
    c.client_id = data.value("client_id", "");
    c.client_secret = data.value("client_secret", "");
    c.scopes = data.value("scopes", "openid");
    c.pkce = data.value("pkce", true);
    c.is_social = data.value("is_social", false);
    if (data.contains("claim_mapping")) {
      for (const auto& [k, v] : data["claim_mapping"].items()) {
        c.claim_mapping[k] = v.get<std::string>();
      }
    }
    c.link_by_verified_email = data.value("link_by_verified_email", false);
    c.is_domain_connection = data.value("is_domain_connection", false);
    c.enabled_clients = data.value("enabled_clients", std::vector<std::string>{});
    return c;
  } catch (const json::exception& e) {
    return Internal(std::string("corrupt connection record: ") + e.what());
  }
}

json Connection::ToApi() const {
  json mapping = json::object();
  for (const auto& [k, v] : claim_mapping) mapping[k] = v;
  json options = {{"client_id", client_id},
                  {"scopes", scopes},
                  {"pkce", pkce},
                  {"is_social", is_social},
                  {"claim_mapping", mapping},
                  {"link_by_verified_email", link_by_verified_email},
                  {"issuer", issuer},
                  {"discovery_url", DiscoveryUrl()}};
  return {{"id", id},
          {"name", name},
          {"display_name", display_name.empty() ? name : display_name},
          {"strategy", kStrategy},
          {"is_domain_connection", is_domain_connection},
          {"enabled_clients", enabled_clients},
          {"realms", json::array({name})},
          {"options", options}};
}

Status ValidateConnectionName(const std::string& name) {
  if (name.empty() || name.size() > 128) return Invalid("name must be 1 to 128 characters.");
  for (char ch : name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-';
    if (!ok) return Invalid("name may contain only letters, digits and '-'.");
  }
  if (name.front() == '-' || name.back() == '-') {
    return Invalid("name cannot start or end with '-'.");
  }
  return Status::Ok();
}

Status ApplyApiBody(const json& body, bool creating, Connection& c) {
  if (!body.is_object()) return Invalid("the body must be a JSON object.");
  static const std::set<std::string> kTop = {"name",    "display_name",    "strategy",
                                             "options", "enabled_clients", "is_domain_connection",
                                             "realms",  "metadata"};
  for (const auto& [key, value] : body.items()) {
    if (!kTop.count(key)) return Invalid("'Additional properties not allowed: " + key + "'.");
  }
  if (creating) {
    if (!body.contains("name") || !body["name"].is_string()) {
      return Invalid("'Missing required property: name'.");
    }
    if (!body.contains("strategy") || body["strategy"] != kStrategy) {
      return Invalid("strategy must be 'oidc' (the only upstream type Gatehouse supports).");
    }
    c.name = body["name"].get<std::string>();
    GH_RETURN_IF_ERROR(ValidateConnectionName(c.name));
  } else {
    if (body.contains("name") && body["name"] != c.name) {
      return Invalid("a connection cannot be renamed (user ids contain its name).");
    }
    if (body.contains("strategy") && body["strategy"] != kStrategy) {
      return Invalid("the strategy cannot be changed.");
    }
  }
  if (body.contains("display_name")) {
    if (!body["display_name"].is_string() || body["display_name"].get<std::string>().size() > 128) {
      return Invalid("display_name must be a string of at most 128 characters.");
    }
    c.display_name = body["display_name"].get<std::string>();
  }
  if (body.contains("is_domain_connection")) {
    if (!body["is_domain_connection"].is_boolean()) {
      return Invalid("is_domain_connection must be a boolean.");
    }
    c.is_domain_connection = body["is_domain_connection"].get<bool>();
  }
  if (body.contains("enabled_clients")) {
    const json& list = body["enabled_clients"];
    if (!list.is_array()) return Invalid("enabled_clients must be an array of client ids.");
    std::vector<std::string> ids;
    for (const auto& id : list) {
      if (!id.is_string() || id.get<std::string>().empty()) {
        return Invalid("enabled_clients must be an array of client ids.");
      }
      ids.push_back(id.get<std::string>());
    }
    c.enabled_clients = std::move(ids);
  }
  if (body.contains("options")) {
    const json& o = body["options"];
    if (!o.is_object()) return Invalid("options must be an object.");
    static const std::set<std::string> kStrings = {"issuer", "discovery_url", "client_id",
                                                   "client_secret", "scopes"};
    static const std::set<std::string> kBools = {"pkce", "is_social", "link_by_verified_email"};
    for (const auto& [key, value] : o.items()) {
      if (kStrings.count(key)) {
        if (!value.is_string()) return Invalid("options." + key + " must be a string.");
      } else if (kBools.count(key)) {
        if (!value.is_boolean()) return Invalid("options." + key + " must be a boolean.");
      } else if (key == "claim_mapping") {
        if (!value.is_object()) return Invalid("options.claim_mapping must be an object.");
        for (const auto& [attr, claim] : value.items()) {
          if (!claim.is_string()) return Invalid("options.claim_mapping values must be strings.");
        }
      } else if (key != "type") {  // Auth0's "front_channel"/"back_channel" type: code flow only
        return Invalid("'Additional properties not allowed: options." + key + "'.");
      }
    }
    if (o.contains("issuer")) c.issuer = o["issuer"].get<std::string>();
    if (o.contains("discovery_url")) c.discovery_url = o["discovery_url"].get<std::string>();
    if (o.contains("client_id")) c.client_id = o["client_id"].get<std::string>();
    if (o.contains("client_secret")) c.client_secret = o["client_secret"].get<std::string>();
    if (o.contains("scopes")) c.scopes = o["scopes"].get<std::string>();
    if (o.contains("pkce")) c.pkce = o["pkce"].get<bool>();
    if (o.contains("is_social")) c.is_social = o["is_social"].get<bool>();
    if (o.contains("link_by_verified_email")) {
      c.link_by_verified_email = o["link_by_verified_email"].get<bool>();
    }
    if (o.contains("claim_mapping")) {
      c.claim_mapping.clear();
      for (const auto& [attr, claim] : o["claim_mapping"].items()) {
        c.claim_mapping[attr] = claim.get<std::string>();
      }
    }
  }
  // The issuer is what ID tokens are checked against; without one given, the
  // discovery document's own "issuer" is the expected one.
  if (c.issuer.empty() && c.discovery_url.empty()) {
    return Invalid("options.issuer or options.discovery_url is required.");
  }
  if (!c.issuer.empty() && !AcceptableUrl(c.issuer)) {
    return Invalid("options.issuer must be an https URL (http only on loopback).");
  }
  if (!c.discovery_url.empty() && !AcceptableUrl(c.discovery_url)) {
    return Invalid("options.discovery_url must be an https URL (http only on loopback).");
  }
  if (c.client_id.empty()) return Invalid("options.client_id is required.");
  if (c.scopes.find("openid") == std::string::npos) {
    return Invalid("options.scopes must include openid.");
  }
  return Status::Ok();
}

}  // namespace gatehouse::connections
