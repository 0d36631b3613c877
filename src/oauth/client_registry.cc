#include "oauth/client_registry.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/base64url.h"
#include "oauth/redirect_uri.h"
#include "oauth/token_hash.h"

namespace gatehouse::oauth {
namespace {

constexpr const char* kKind = "client";

const std::set<std::string>& KnownGrants() {
  static const std::set<std::string> k = {"authorization_code", "refresh_token",
                                          "client_credentials", "password"};
  return k;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Normalises and checks a client before it is stored. SPAs and native apps
// cannot keep a secret, so they are always public (as in Auth0); machine to
// machine clients must be confidential.
Status Validate(Client& c) {
  if (c.name.empty() || c.name.size() > 256) {
    return InvalidArgument("name is required (1..256 characters)");
  }
  if (c.description.size() > 1024) return InvalidArgument("description is too long");
  static const std::set<std::string> kTypes = {"regular_web", "spa", "native", "non_interactive"};
  if (!kTypes.count(c.app_type)) {
    return InvalidArgument("app_type must be one of regular_web, spa, native, non_interactive");
  }
  static const std::set<std::string> kMethods = {"client_secret_basic", "client_secret_post",
                                                 "none"};
  if (!kMethods.count(c.token_endpoint_auth_method)) {
    return InvalidArgument(
        "token_endpoint_auth_method must be client_secret_basic, client_secret_post or none");
  }
  if (c.app_type == "spa" || c.app_type == "native") c.token_endpoint_auth_method = "none";
  if (c.app_type == "non_interactive" && c.IsPublic()) {
    return InvalidArgument("non_interactive clients must authenticate with a secret");
  }
  for (const auto& g : c.grant_types) {
    if (!KnownGrants().count(g)) return InvalidArgument("unknown grant type: " + g);
  }
  std::sort(c.grant_types.begin(), c.grant_types.end());
  c.grant_types.erase(std::unique(c.grant_types.begin(), c.grant_types.end()), c.grant_types.end());
  if (c.IsPublic() && c.AllowsGrant("client_credentials")) {
    return InvalidArgument("public clients cannot use client_credentials");
  }
  for (const auto& list : {&c.callbacks, &c.allowed_logout_urls}) {
    for (const auto& url : *list) {
      std::string why;
      if (!IsValidCallbackUrl(url, &why)) return InvalidArgument(why.append(": ").append(url));
    }
  }
  for (const auto& origin : c.web_origins) {
    std::string why;
    if (!IsValidCallbackUrl(origin, &why)) return InvalidArgument(why.append(": ").append(origin));
  }
  if (!c.client_metadata.is_object()) return InvalidArgument("client_metadata must be an object");
  for (const auto& [k, v] : c.client_metadata.items()) {
    if (!v.is_string()) return InvalidArgument("client_metadata values must be strings: " + k);
  }
  if (const auto& alg = c.id_token_signed_response_alg;
      !alg.empty() && alg != "RS256" && alg != "ES256") {
    return InvalidArgument("id_token_signed_response_alg must be RS256 or ES256");
  }
  for (const auto& s : c.management_scopes) {
    if (s.empty() || s.find_first_of(" \t\r\n") != std::string::npos) {
      return InvalidArgument("invalid management scope: '" + s + "'");
    }
  }
  return Status::Ok();
}

// Percent-decoding of the form-urlencoded id and secret inside Basic
// credentials (RFC 6749 §2.3.1): '+' is a space there.
std::optional<std::string> FormDecode(std::string_view s) {
  std::string plus;
  plus.reserve(s.size());
  for (char c : s) plus += c == '+' ? ' ' : c;
  auto r = http::PercentDecode(plus);
  if (!r.ok()) return std::nullopt;
  return *r;
}

class RecordClientRegistry final : public ClientRegistry {
 public:
  RecordClientRegistry(storage::Storage& storage, Random& random)
      : records_(storage.records()), random_(random) {}

  Result<CreatedClient> Create(Client spec) override {
    GH_RETURN_IF_ERROR(Validate(spec));
    CreatedClient out;
    spec.client_id = random_.Alphanumeric(32);  // ~190 bits, like Auth0's ids
    spec.secret_hash.clear();
    if (!spec.IsPublic()) {
      out.client_secret = random_.Token(32);
      spec.secret_hash = HashToken(out.client_secret);
    }
    spec.created_at_ms = NowMs();
    GH_ASSIGN_OR_RETURN(
        auto rec, records_.Create(kKind, spec.client_id, spec.ToStoredJson().dump(), std::nullopt));
    spec.version = rec.version;
    out.client = std::move(spec);
    return out;
  }

  Result<Client> Get(const std::string& client_id) override {
    if (client_id.empty() || client_id.size() > 256) return NotFound("no such client");
    GH_ASSIGN_OR_RETURN(auto rec, records_.Get(kKind, client_id));
    return Parse(rec);
  }

  Result<std::vector<Client>> List() override {
    std::vector<Client> out;
    std::string after;
    for (;;) {
      GH_ASSIGN_OR_RETURN(auto page, records_.List(kKind, after, 200));
      for (const auto& rec : page) {
        auto c = Parse(rec);
        if (c.ok()) out.push_back(std::move(*c));
      }
      if (page.size() < 200) break;
      after = page.back().id;
    }
    return out;
  }

  Result<Client> Update(const Client& client) override {
    GH_ASSIGN_OR_RETURN(Client current, Get(client.client_id));
    Client next = client;
    GH_RETURN_IF_ERROR(Validate(next));
    // The secret and identity are not the caller's to change here.
    next.secret_hash = current.secret_hash;
    next.created_at_ms = current.created_at_ms;
    if (next.IsPublic()) {
      next.secret_hash.clear();
    } else if (current.IsPublic()) {
      return InvalidArgument("a public client cannot become confidential (no secret)");
    }
    GH_ASSIGN_OR_RETURN(auto rec, records_.CompareAndSet(kKind, next.client_id, client.version,
                                                         next.ToStoredJson().dump(), std::nullopt));
    next.version = rec.version;
    return next;
  }

  Status Delete(const std::string& client_id) override {
    GH_RETURN_IF_ERROR(Get(client_id).status());
    return records_.Delete(kKind, client_id);
  }

  Result<CreatedClient> RotateSecret(const std::string& client_id) override {
    for (;;) {
      GH_ASSIGN_OR_RETURN(Client c, Get(client_id));
      if (c.IsPublic()) return InvalidArgument("public clients have no secret");
      CreatedClient out;
      out.client_secret = random_.Token(32);
      c.secret_hash = HashToken(out.client_secret);
      auto rec = records_.CompareAndSet(kKind, c.client_id, c.version, c.ToStoredJson().dump(),
                                        std::nullopt);
      if (!rec.ok() && rec.status().code() == ErrorCode::kConflict) continue;
      if (!rec.ok()) return rec.status();
      c.version = rec->version;
      out.client = std::move(c);
      return out;
    }
  }

  Result<Client> Authenticate(const http::Request& request, const http::Params& form) override {
    auto fail = [](std::string why) { return Unauthenticated(std::move(why)); };
    std::optional<std::string> basic_id, basic_secret;
    auto authz = request.Header("Authorization");
    if (authz) {
      std::string_view v = *authz;
      if (v.size() < 6 || !http::EqualsIgnoreCase(v.substr(0, 6), "Basic ")) {
        return fail("unsupported Authorization scheme");
      }
      auto decoded = Base64Decode(v.substr(6));
      if (!decoded) return fail("malformed Basic credentials");
      auto colon = decoded->find(':');
      if (colon == std::string::npos) return fail("malformed Basic credentials");
      basic_id = FormDecode(std::string_view(*decoded).substr(0, colon));
      basic_secret = FormDecode(std::string_view(*decoded).substr(colon + 1));
      if (!basic_id || !basic_secret) return fail("malformed Basic credentials");
    }
    auto form_id = form.Get("client_id");
    auto form_secret = form.Get("client_secret");

    std::string method, client_id, secret;
    if (basic_id) {
      if (form_secret) return fail("more than one client authentication method");
      if (form_id && *form_id != *basic_id) return fail("client_id differs from Basic credentials");
      method = "client_secret_basic";
      client_id = *basic_id;
      secret = *basic_secret;
    } else if (form_secret) {
      if (!form_id) return fail("client_secret without client_id");
      method = "client_secret_post";
      client_id = *form_id;
      secret = *form_secret;
    } else if (form_id) {
      method = "none";
      client_id = *form_id;
    } else {
      return fail("no client authentication");
    }

    auto client = Get(client_id);
    if (!client.ok()) {
      if (client.status().code() == ErrorCode::kNotFound) {
        // Same cost as a wrong secret, so probing ids learns nothing from timing.
        (void)TokenMatchesHash(secret, std::string(64, '0'));
        return fail("unknown client " + client_id);
      }
      return client.status();
    }
    // A confidential client may present its secret by either secret method
    // (as Auth0 allows; relying-party libraries differ in their default), but
    // never go without it, and a public client never sends one.
    const bool confidential = client->token_endpoint_auth_method != "none";
    if (confidential != (method != "none")) {
      return fail("client authenticated with " + method + ", registered for " +
                  client->token_endpoint_auth_method);
    }
    if (method != "none" && !TokenMatchesHash(secret, client->secret_hash)) {
      return fail("wrong client secret");
    }
    return client;
  }

 private:
  static Result<Client> Parse(const storage::Record& rec) {
    nlohmann::json j = nlohmann::json::parse(rec.data, nullptr, false);
    GH_ASSIGN_OR_RETURN(Client c, Client::FromStoredJson(j));
    c.version = rec.version;
    return c;
  }

  storage::RecordRepo& records_;
  Random& random_;
};

}  // namespace

std::unique_ptr<ClientRegistry> ClientRegistry::Create(storage::Storage& storage, Random& random) {
  return std::make_unique<RecordClientRegistry>(storage, random);
}

}  // namespace gatehouse::oauth
