// Issue 5 end to end: a redirect rule sends Chromium to an external page on
// another port, which POSTs a field back to /continue with a self-submitting
// form; the rule's second pass puts the field into the ID token that
// openid-client receives and validates.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { launchBrowser, submitLogin } from './browser.mjs';
import { freePort, listen, run, runJson, serve, tempDir } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

describe('redirect rule round trip in Chromium', () => {
  const ctx = {};
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    ctx.dir = tempDir(t);
    ctx.port = await freePort();
    ctx.issuer = `http://127.0.0.1:${ctx.port}/`;
    run(['init', '--data-dir', ctx.dir, '--domain', `127.0.0.1:${ctx.port}`]);
    const rp = await listen(t, (req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('callback'); });
    ctx.redirectUri = `http://127.0.0.1:${rp}/callback`;
    // The external site: shows nothing, posts the field straight back.
    ctx.seen = [];
    const ext = await listen(t, (req, res) => {
      const url = new URL(req.url, 'http://x');
      ctx.seen.push(url.searchParams.get('from'));
      const state = url.searchParams.get('state') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><form method="post" action="${escape(ctx.issuer)}continue?state=${encodeURIComponent(state)}">
        <input type="hidden" name="color" value="teal"></form><script>document.forms[0].submit()</script>`);
    });
    const rulesDir = path.join(ctx.dir, 'rules');
    fs.mkdirSync(rulesDir);
    fs.writeFileSync(path.join(rulesDir, '10-ask-color.js'), `function askColor(user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.org/color'] = context.request.body.color;
    context.idToken['https://example.org/original'] = context.original_protocol;
    return callback(null, user, context);
  }
  context.redirect = { url: 'http://127.0.0.1:${ext}/profile?from=gatehouse' };
  callback(null, user, context);
}`);
    ctx.client = runJson(['clients', 'create', '--data-dir', ctx.dir, '--name', 'E2E Redirect', '--type', 'regular_web',
      '--callback', ctx.redirectUri, '--grant', 'authorization_code', '--json']);
    runJson(['users', 'create', '--data-dir', ctx.dir, '--email', 'alice@example.com', '--password', PASSWORD, '--json']);
    ctx.server = await serve(t, ctx.dir, { port: ctx.port, env: { GATEHOUSE_RULES_DIR: rulesDir } });
    ctx.config = await oidc.discovery(new URL(ctx.issuer), ctx.client.client_id, ctx.client.client_secret,
      undefined, { execute: [oidc.allowInsecureRequests] });
    ctx.browser = await launchBrowser(t);
  });

  test('login -> external page -> POST /continue -> ID token with the second-pass claim', async () => {
    const page = await ctx.browser.newPage();
    const verifier = oidc.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(ctx.config, {
      redirect_uri: ctx.redirectUri, scope: 'openid email', state: checks.expectedState, nonce: checks.expectedNonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    await page.goto(url.href);
    await submitLogin(page, 'alice@example.com', PASSWORD);
    await page.waitForURL((u) => u.href.startsWith(ctx.redirectUri), { timeout: 20000 });
    assert.deepEqual(ctx.seen, ['gatehouse']);
    const tokens = await oidc.authorizationCodeGrant(ctx.config, new URL(page.url()), checks);
    const claims = tokens.claims();
    assert.equal(claims['https://example.org/color'], 'teal');
    assert.equal(claims['https://example.org/original'], 'oidc-basic-profile');
    assert.equal(claims.iss, ctx.issuer);
    assert.equal(claims.nonce, checks.expectedNonce);
    await page.close();
  });
});
