#pragma once
// The admin dashboard (docs/admin.md): serves the bundled single-page app at
// /admin/ (index.html, app.js, app.css, config.json), compiled into the binary
// at build time, so the server reads no files at run time. The page itself
// holds no data and no authority: it signs the administrator in through our
// own /authorize (client "gatehouse-admin", PKCE) and does everything through
// the Management API with that Bearer token (no cookies, so no CSRF surface).
// Every response carries a strict CSP: default-src 'self', no inline script or
// style, no framing, no external origins.

#include "http/router.h"

namespace gatehouse::admin {

// GET /admin (redirects to /admin/), /admin/, /admin/app.js, /admin/app.css,
// /admin/config.json ({client_id, scope}). The router must outlive nothing
// here: the assets are static.
void RegisterAdminRoutes(http::Router& router);

// The Content-Security-Policy value of every /admin response.
const char* AdminContentSecurityPolicy();

}  // namespace gatehouse::admin
