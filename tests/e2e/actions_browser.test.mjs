// Issue 11 end to end: one login in Chromium runs two rules and two actions,
// with one rule redirect and one action redirect. The rule redirect re-runs
// the rules at /continue; then the first action sends the browser away with
// an encodeToken token, the external page posts it back to /continue, and the
// action's onContinuePostLogin validates it. openid-client receives an ID
// token with the claims of all four.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { launchBrowser, submitLogin } from './browser.mjs';
import { freePort, listen, managementClient, run, runJson, serve, tempDir } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

describe('two rules and two actions, a rule redirect and an action redirect, in Chromium', () => {
  const ctx = {};
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    ctx.dir = tempDir(t);
    ctx.port = await freePort();
    ctx.issuer = `http://127.0.0.1:${ctx.port}/`;
    const init = runJson(['init', '--data-dir', ctx.dir, '--domain', `127.0.0.1:${ctx.port}`, '--json']);
    const rp = await listen(t, (req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('callback'); });
    ctx.redirectUri = `http://127.0.0.1:${rp}/callback`;
    // The rule's site posts a field back; the action's site posts its token back.
    ctx.seen = [];
    const ext = await listen(t, (req, res) => {
      const url = new URL(req.url, 'http://x');
      ctx.seen.push(url.pathname);
      const state = url.searchParams.get('state') ?? '';
      const fields = url.pathname === '/profile'
        ? { color: 'teal' }
        : { session_token: url.searchParams.get('session_token') ?? '' };
      const inputs = Object.entries(fields)
        .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><form method="post" action="${escape(ctx.issuer)}continue?state=${encodeURIComponent(state)}">
        ${inputs}</form><script>document.forms[0].submit()</script>`);
    });
    const rulesDir = path.join(ctx.dir, 'rules');
    fs.mkdirSync(rulesDir);
    fs.writeFileSync(path.join(rulesDir, '10-ask-color.js'), `function askColor(user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.org/rule_color'] = context.request.body.color;
    return callback(null, user, context);
  }
  context.redirect = { url: 'http://127.0.0.1:${ext}/profile' };
  callback(null, user, context);
}`);
    fs.writeFileSync(path.join(rulesDir, '20-claim.js'), `function claim(user, context, callback) {
  context.idToken['https://example.org/rule_protocol'] = context.protocol;
  callback(null, user, context);
}`);
    ctx.client = runJson(['clients', 'create', '--data-dir', ctx.dir, '--name', 'E2E Actions', '--type', 'regular_web',
      '--callback', ctx.redirectUri, '--grant', 'authorization_code', '--json']);
    runJson(['users', 'create', '--data-dir', ctx.dir, '--email', 'alice@example.com', '--password', PASSWORD, '--json']);
    ctx.server = await serve(t, ctx.dir, { port: ctx.port, env: { GATEHOUSE_RULES_DIR: rulesDir } });

    const { management } = await managementClient(ctx.port, init.admin_client, init.issuer);
    const mfa = await management.actions.create({
      name: 'external-check', supported_triggers: [{ id: 'post-login', version: 'v3' }],
      secrets: [{ name: 'SECRET', value: 'a shared secret with the site' }],
      code: `
exports.onExecutePostLogin = async (event, api) => {
  const token = api.redirect.encodeToken({secret: event.secrets.SECRET, payload: {checked: 'yes'}});
  api.redirect.sendUserTo('http://127.0.0.1:${ext}/check', {query: {session_token: token}});
};
exports.onContinuePostLogin = async (event, api) => {
  const payload = api.redirect.validateToken({secret: event.secrets.SECRET});
  api.idToken.setCustomClaim('https://example.org/action_checked', payload.checked);
};`,
    });
    const claims = await management.actions.create({
      name: 'claims', supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: `exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.org/action_user', event.user.email);
};`,
    });
    await management.actions.deploy(mfa.id);
    await management.actions.deploy(claims.id);
    await management.actions.triggers.bindings.updateMany('post-login', {
      bindings: [
        { ref: { type: 'action_id', value: mfa.id }, display_name: 'external-check' },
        { ref: { type: 'action_id', value: claims.id }, display_name: 'claims' },
      ],
    });
    ctx.config = await oidc.discovery(new URL(ctx.issuer), ctx.client.client_id, ctx.client.client_secret,
      undefined, { execute: [oidc.allowInsecureRequests] });
    ctx.browser = await launchBrowser(t);
  });

  test('the ID token carries the claims of both rules and both actions', async () => {
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
    assert.deepEqual(ctx.seen, ['/profile', '/check']);
    const tokens = await oidc.authorizationCodeGrant(ctx.config, new URL(page.url()), checks);
    const claims = tokens.claims();
    assert.equal(claims['https://example.org/rule_color'], 'teal');
    assert.equal(claims['https://example.org/rule_protocol'], 'redirect-callback');
    assert.equal(claims['https://example.org/action_checked'], 'yes');
    assert.equal(claims['https://example.org/action_user'], 'alice@example.com');
    assert.equal(claims.nonce, checks.expectedNonce);
    await page.close();
  });
});
