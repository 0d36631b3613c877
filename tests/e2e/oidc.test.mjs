// Issue 3 end to end: a certified relying-party library (openid-client) and a
// real browser (Debian chromium via playwright-core) against a running
// Gatehouse: discovery, code + PKCE through the hosted login page, code
// exchange, ID token validation, userinfo, refresh rotation, revocation,
// logout, and the unhappy paths a relying party meets.
import assert from 'node:assert/strict';
import http from 'node:http';
import { before, after, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { launchBrowser, submitLogin } from './browser.mjs';
import { freePort, request, run, runJson, serve, tempDir } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';

// A relying party's callback endpoint: answers 200 so the browser stops there.
async function callbackServer(t) {
  const port = await freePort();
  const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('callback'); });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  t.after(() => server.close());
  return `http://127.0.0.1:${port}`;
}

function form(params) {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() };
}

describe('OpenID Connect code flow with openid-client and Chromium', () => {
  const ctx = {};
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    ctx.dir = tempDir(t);
    ctx.port = await freePort();
    run(['init', '--data-dir', ctx.dir, '--domain', `127.0.0.1:${ctx.port}`]);
    ctx.rp = await callbackServer(t);
    ctx.redirectUri = `${ctx.rp}/callback`;
    ctx.client = runJson(['clients', 'create', '--data-dir', ctx.dir, '--name', 'E2E App', '--type', 'regular_web',
      '--callback', ctx.redirectUri, '--logout-url', `${ctx.rp}/bye`,
      '--grant', 'authorization_code', '--grant', 'refresh_token', '--json']);
    ctx.user = runJson(['users', 'create', '--data-dir', ctx.dir, '--email', 'alice@example.com', '--password', PASSWORD, '--json']);
    ctx.server = await serve(t, ctx.dir, { port: ctx.port });
    ctx.issuer = `http://127.0.0.1:${ctx.port}/`;
    ctx.config = await oidc.discovery(new URL(ctx.issuer), ctx.client.client_id, ctx.client.client_secret,
      undefined, { execute: [oidc.allowInsecureRequests] });
    ctx.browser = await launchBrowser(t);
  });

  // Runs authorize -> hosted login -> callback in `page`; returns the callback URL and checks.
  async function login(page, { scope = 'openid profile email offline_access', extra = {}, password = PASSWORD, expectLoginPage = true } = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(ctx.config, {
      redirect_uri: ctx.redirectUri, scope, state: checks.expectedState, nonce: checks.expectedNonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
    });
    await page.goto(url.href);
    if (expectLoginPage) await submitLogin(page, 'alice@example.com', password);
    await page.waitForURL((u) => u.href.startsWith(ctx.redirectUri));
    return { callback: new URL(page.url()), checks };
  }

  test('discovery names this issuer and its endpoints', () => {
    const m = ctx.config.serverMetadata();
    assert.equal(m.issuer, ctx.issuer);
    assert.equal(m.authorization_endpoint, `${ctx.issuer}authorize`);
    assert.equal(m.token_endpoint, `${ctx.issuer}oauth/token`);
    assert.equal(m.jwks_uri, `${ctx.issuer}.well-known/jwks.json`);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
  });

  test('login, exchange, ID token, userinfo, refresh rotation, revocation, logout', async (t) => {
    const page = await ctx.browser.newPage();
    const { callback, checks } = await login(page);
    const tokens = await oidc.authorizationCodeGrant(ctx.config, callback, checks);
    const claims = tokens.claims();
    assert.equal(claims.iss, ctx.issuer);
    assert.equal(claims.aud, ctx.client.client_id);
    assert.equal(claims.sub, ctx.user.user_id);
    assert.equal(claims.email, 'alice@example.com');
    assert.equal(claims.nonce, checks.expectedNonce);
    assert.ok(claims.auth_time <= claims.iat);
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');

    const info = await oidc.fetchUserInfo(ctx.config, tokens.access_token, claims.sub);
    assert.equal(info.email, 'alice@example.com');

    const rotated = await oidc.refreshTokenGrant(ctx.config, tokens.refresh_token);
    assert.notEqual(rotated.refresh_token, tokens.refresh_token);
    // Presenting the rotated-out token again revokes the whole family.
    await assert.rejects(oidc.refreshTokenGrant(ctx.config, tokens.refresh_token), (e) => e.error === 'invalid_grant');
    await assert.rejects(oidc.refreshTokenGrant(ctx.config, rotated.refresh_token), (e) => e.error === 'invalid_grant');

    // A fresh family, revoked through RFC 7009.
    const second = await login(page, { expectLoginPage: false }); // SSO: no password asked
    const tokens2 = await oidc.authorizationCodeGrant(ctx.config, second.callback, second.checks);
    await oidc.tokenRevocation(ctx.config, tokens2.refresh_token);
    await assert.rejects(oidc.refreshTokenGrant(ctx.config, tokens2.refresh_token), (e) => e.error === 'invalid_grant');

    // Logout ends the SSO session and returns to an allowed URL only.
    await page.goto(`${ctx.issuer}v2/logout?client_id=${ctx.client.client_id}&returnTo=${encodeURIComponent(`${ctx.rp}/bye`)}`);
    assert.equal(page.url(), `${ctx.rp}/bye`);
    const third = await login(page); // the password is asked again
    assert.ok(third.callback.searchParams.get('code'));
    await page.close();
  });

  test('a second redemption of a code fails and revokes what the first one issued', async () => {
    const page = await ctx.browser.newPage();
    const { callback, checks } = await login(page);
    const tokens = await oidc.authorizationCodeGrant(ctx.config, callback, checks);
    await assert.rejects(oidc.authorizationCodeGrant(ctx.config, callback, checks), (e) => e.error === 'invalid_grant');
    const info = await request(ctx.port, '/userinfo', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(info.status, 401);
    await assert.rejects(oidc.refreshTokenGrant(ctx.config, tokens.refresh_token), (e) => e.error === 'invalid_grant');
    await page.close();
  });

  test('a wrong PKCE verifier is invalid_grant', async () => {
    const page = await ctx.browser.newPage();
    const { callback, checks } = await login(page);
    await assert.rejects(
      oidc.authorizationCodeGrant(ctx.config, callback, { ...checks, pkceCodeVerifier: oidc.randomPKCECodeVerifier() }),
      (e) => e.error === 'invalid_grant');
    await page.close();
  });

  test('prompt=none without a session answers login_required at the redirect_uri', async () => {
    const context = await ctx.browser.newContext(); // a browser with no session
    const page = await context.newPage();
    const { callback } = await login(page, { extra: { prompt: 'none' }, expectLoginPage: false });
    assert.equal(callback.searchParams.get('error'), 'login_required');
    assert.ok(callback.searchParams.get('state'));
    await context.close();
  });

  test('an unregistered or near-miss redirect_uri is never redirected to', async () => {
    for (const uri of [`${ctx.redirectUri}/`, ctx.redirectUri.toUpperCase(), `${ctx.redirectUri}?x=1`,
      `${ctx.rp}/callback/../evil`, `http://evil@127.0.0.1${new URL(ctx.rp).port ? `:${new URL(ctx.rp).port}` : ''}/callback`,
      'https://evil.example/callback']) {
      const q = new URLSearchParams({ client_id: ctx.client.client_id, response_type: 'code', redirect_uri: uri, scope: 'openid' });
      const r = await request(ctx.port, `/authorize?${q}`);
      assert.equal(r.status, 400, uri);
      assert.equal(r.headers.location, undefined, uri);
      assert.match(r.headers['content-type'], /text\/html/);
    }
  });

  test('wrong password and unknown user get the same answer; the 11th attempt is blocked', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    const q = new URLSearchParams({ client_id: ctx.client.client_id, response_type: 'code', redirect_uri: ctx.redirectUri,
      scope: 'openid', state: 's', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    await page.goto(`${ctx.issuer}authorize?${q}`);
    const messageAfter = async (email, password) => {
      await submitLogin(page, email, password);
      return page.locator('[role=alert]').innerText();
    };
    const wrong = await messageAfter('alice@example.com', 'not the password');
    const unknown = await messageAfter('nobody@example.com', 'not the password');
    assert.equal(wrong, unknown);
    // Ten failures for alice from this address (the unknown user's count is its own) ...
    for (let i = 2; i <= 10; i++) await messageAfter('alice@example.com', 'not the password');
    // ... so her 11th attempt is refused even with the right password.
    const blocked = await messageAfter('alice@example.com', PASSWORD);
    assert.notEqual(blocked, wrong);
    assert.match(blocked, /too many|blocked/i);
    assert.ok(!page.url().startsWith(ctx.redirectUri));
    await context.close();
  });
});
