#pragma once
// Browsers check a page's CSP form-action against the redirect that follows a
// form POST, so the login page must allow the origin of the client's
// redirect_uri, and nothing more.

#include <string>

namespace gatehouse::flow {

// The CSP source for `redirect_uri`: "scheme://authority" for hierarchical
// URLs ("https://app.example.com:8443"), "scheme:" for others (native apps'
// "com.example.app:/cb"); "" when it has no valid scheme or carries userinfo.
std::string FormActionSource(const std::string& redirect_uri);

}  // namespace gatehouse::flow
