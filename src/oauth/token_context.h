#pragma once
// What every grant handler of /oauth/token gets (internal to oauth), and the
// helpers they share to answer.

#include <functional>
#include <memory>
#include <string>

#include "http/params.h"
#include "http/request.h"
#include "http/response.h"
#include "oauth/errors.h"
#include "oauth/grant_store.h"
#include "oauth/login_pipeline.h"
#include "oauth/oauth_routes.h"
#include "oauth/token_minter.h"

namespace gatehouse::oauth {

// Shared by every route of RegisterOAuthRoutes; lives as long as the router.
struct OAuthContext {
  explicit OAuthContext(OAuthDeps d);
  OAuthDeps deps;
  GrantStore grants;
  MintOptions mint;
};

struct TokenRequest {
  const http::Request* http = nullptr;  // valid until `done` is called
  http::Params form;                    // body parameters, each at most once
  Client client;                        // authenticated
  std::string issuer;
};

using TokenDone = std::function<void(http::Response)>;

// Each grant answers through `done` exactly once, possibly on another thread.
void RunAuthorizationCodeGrant(OAuthContext& ctx, TokenRequest req, TokenDone done);
void RunRefreshTokenGrant(OAuthContext& ctx, TokenRequest req, TokenDone done);
void RunClientCredentialsGrant(OAuthContext& ctx, TokenRequest req, TokenDone done);
void RunPasswordGrant(OAuthContext& ctx, TokenRequest req, TokenDone done);

// 400 (or `status`) token error with no-store headers; `debug` is logged.
http::Response TokenError(std::string code, std::string description, std::string debug = "",
                          int status = 400);
// 200 JSON token response with no-store headers.
http::Response TokenSuccess(const nlohmann::json& body);
// A storage or key failure: logged, answered as 500 server_error.
http::Response ServerError(const Status& status);
// The answer for a login pipeline outcome that is not kContinue (SPEC §3.4, §3.5).
http::Response PipelineRefusal(const LoginOutcome& outcome);

}  // namespace gatehouse::oauth
