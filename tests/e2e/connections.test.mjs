// Issue 13 end to end: a SECOND Gatehouse instance plays the upstream OpenID
// Connect provider. Chromium signs in at the downstream Gatehouse through
// "Continue with Upstream Gatehouse"; the progressive-profiling rule (SPEC §3.6,
// inline copy) finds the upstream's names and does not redirect; openid-client
// receives an ID token carrying the upstream profile; rules saw
// context.connection / connectionStrategy and the oidc identity.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { launchBrowser, submitLogin } from './browser.mjs';
import { cli, instance, listen } from './connections_helpers.mjs';
import { tempDir } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const NS = 'https://example.org/';

// SPEC §3.6 progressive profiling, as a tenant would write it: users whose
// names are missing go to the update-profile website; social connections
// (e.g. Google) that already gave the names pass straight through.
const PROGRESSIVE_PROFILING = `function progressiveProfiling(user, context, callback) {
  if (context.protocol === 'redirect-callback') return callback(null, user, context);
  const meta = user.user_metadata || {};
  const missing = ['given_name', 'family_name'].filter((f) => !user[f] && !meta[f]);
  if (missing.length === 0) return callback(null, user, context);
  const token = jwt.sign({ [configuration.TOKEN_ISSUER + '/claims/required_fields']: missing },
    configuration.TOKEN_SECRET,
    { subject: user.user_id, issuer: configuration.TOKEN_ISSUER,
      audience: configuration.TOKEN_AUDIENCE, expiresIn: '5m' });
  context.redirect = { url: configuration.UPDATE_PROFILE_WEBSITE_URL + '?token=' + token };
  return callback(null, user, context);
}`;

const RECORD_CONTEXT = `function recordContext(user, context, callback) {
  const id = (user.identities || [])[0] || {};
  context.idToken['${NS}connection'] = context.connection;
  context.idToken['${NS}strategy'] = context.connectionStrategy;
  context.idToken['${NS}provider'] = id.provider;
  context.idToken['${NS}identity_user_id'] = id.user_id;
  context.idToken['${NS}is_social'] = id.isSocial;
  context.idToken['${NS}upstream_given_name'] = (id.profileData || {}).given_name;
  callback(null, user, context);
}`;

describe('sign-in through an upstream Gatehouse in Chromium', () => {
  const ctx = {};
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    // The downstream's rules, and the update-profile website they may redirect to.
    ctx.profileHits = [];
    const site = await listen(t, (req, res) => {
      if (req.url.startsWith('/profile')) ctx.profileHits.push(req.url);  // not /favicon.ico
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('update your profile');
    });
    const rulesDir = tempDir(t);
    fs.writeFileSync(path.join(rulesDir, '10-progressive-profiling.js'), PROGRESSIVE_PROFILING);
    fs.writeFileSync(path.join(rulesDir, '20-record-context.js'), RECORD_CONTEXT);

    ctx.up = await instance(t, { hostname: 'localhost' });
    ctx.down = await instance(t, { rulesDir });
    for (const [key, value] of Object.entries({
      TOKEN_ISSUER: ctx.down.issuer.slice(0, -1), TOKEN_AUDIENCE: 'profile-site',
      TOKEN_SECRET: 'an e2e secret of enough length for HS256',
      UPDATE_PROFILE_WEBSITE_URL: `http://127.0.0.1:${site}/profile`,
    })) {
      const r = await ctx.down.api('PUT', `/api/v2/rules-configs/${key}`, { value });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }

    // At the upstream: the downstream registered as a client, and a user with names.
    ctx.upClient = cli(['clients', 'create', '--data-dir', ctx.up.dir, '--name', 'Downstream Gatehouse',
      '--type', 'regular_web', '--callback', `${ctx.down.issuer}login/callback`,
      '--grant', 'authorization_code', '--json']);
    const jane = await ctx.up.api('POST', '/api/v2/users', {
      connection: 'Username-Password-Authentication', email: 'jane@upstream.example',
      password: PASSWORD, given_name: 'Jane', family_name: 'Doe', email_verified: true,
    });
    assert.equal(jane.status, 201, JSON.stringify(jane.body));
    ctx.janeUpstreamId = jane.body.user_id;

    // At the downstream: the relying party, a password user without names, the connection.
    const rp = await listen(t, (req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('callback'); });
    ctx.redirectUri = `http://127.0.0.1:${rp}/callback`;
    ctx.app = cli(['clients', 'create', '--data-dir', ctx.down.dir, '--name', 'Shop', '--type', 'regular_web',
      '--callback', ctx.redirectUri, '--grant', 'authorization_code', '--json']);
    const created = await ctx.down.api('POST', '/api/v2/connections', {
      name: 'upstream-gh', display_name: 'Upstream Gatehouse', strategy: 'oidc',
      enabled_clients: [ctx.app.client_id],
      options: {
        issuer: ctx.up.issuer, client_id: ctx.upClient.client_id,
        client_secret: ctx.upClient.client_secret, scopes: 'openid profile email', is_social: true,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    ctx.connection = created.body;
    ctx.rp = await oidc.discovery(new URL(ctx.down.issuer), ctx.app.client_id, ctx.app.client_secret,
      undefined, { execute: [oidc.allowInsecureRequests] });
    ctx.browser = await launchBrowser(t);
    ctx.context = await ctx.browser.newContext();
  });

  async function authorize(page, extra = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(ctx.rp, {
      redirect_uri: ctx.redirectUri, scope: 'openid profile email', state: checks.expectedState,
      nonce: checks.expectedNonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256', ...extra,
    });
    await page.goto(url.href);
    return checks;
  }

  async function tokensFrom(page, checks) {
    await page.waitForURL((u) => u.href.startsWith(ctx.redirectUri), { timeout: 20000 }).catch(async (e) => {
      throw new Error(`stuck at ${page.url()}: ${(await page.textContent('body')).slice(0, 300)}`, { cause: e });
    });
    return oidc.authorizationCodeGrant(ctx.rp, new URL(page.url()), checks);
  }

  test('the API never returns the client secret', async () => {
    assert.equal(ctx.connection.strategy, 'oidc');
    assert.equal(ctx.connection.options.client_secret, undefined);
    const list = await ctx.down.api('GET', '/api/v2/connections');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((c) => c.name), ['upstream-gh']);
    assert.ok(!JSON.stringify(list.body).includes(ctx.upClient.client_secret));
    const cliList = cli(['connections', 'list', '--data-dir', ctx.down.dir, '--json']);
    assert.equal(cliList[0].id, ctx.connection.id);
    assert.ok(!JSON.stringify(cliList).includes(ctx.upClient.client_secret));
  });

  test('Continue with Upstream Gatehouse: upstream profile in the ID token, no profiling redirect', async () => {
    const page = await ctx.context.newPage();
    const checks = await authorize(page);
    await page.getByRole('link', { name: 'Continue with Upstream Gatehouse' }).click();
    await page.waitForURL((u) => u.port === String(ctx.up.port) && u.pathname === '/u/login');
    await submitLogin(page, 'jane@upstream.example', PASSWORD);
    const tokens = await tokensFrom(page, checks);
    const claims = tokens.claims();
    assert.equal(claims.iss, ctx.down.issuer);
    assert.equal(claims.sub, `oidc|upstream-gh|${ctx.janeUpstreamId}`);
    assert.equal(claims.given_name, 'Jane');
    assert.equal(claims.family_name, 'Doe');
    assert.equal(claims.email, 'jane@upstream.example');
    assert.equal(claims[`${NS}connection`], 'upstream-gh');
    assert.equal(claims[`${NS}strategy`], 'oidc');
    assert.equal(claims[`${NS}provider`], 'oidc');
    assert.equal(claims[`${NS}identity_user_id`], ctx.janeUpstreamId);
    assert.equal(claims[`${NS}is_social`], true);
    assert.equal(claims[`${NS}upstream_given_name`], 'Jane');
    assert.deepEqual(ctx.profileHits, [], 'the profiling rule must not redirect');
    ctx.firstSub = claims.sub;
    await page.close();

    const users = await ctx.down.api('GET', `/api/v2/users/${encodeURIComponent(claims.sub)}`);
    assert.equal(users.status, 200);
    assert.equal(users.body.identities[0].provider, 'oidc');
    assert.equal(users.body.identities[0].connection, 'upstream-gh');
    assert.equal(users.body.identities[0].isSocial, true);
    assert.equal(users.body.identities[0].profileData.family_name, 'Doe');
    const logs = await ctx.down.api('GET', '/api/v2/logs?per_page=50');
    assert.ok(logs.body.some((l) => l.type === 's' && l.connection === 'upstream-gh'), 'success logged');
  });

  test('connection= goes straight upstream, and the profile is refreshed at each login', async () => {
    const patched = await ctx.up.api('PATCH', `/api/v2/users/${encodeURIComponent(ctx.janeUpstreamId)}`,
      { family_name: 'Roe' });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const page = await ctx.context.newPage();
    const seen = [];
    page.on('request', (r) => seen.push(new URL(r.url())));
    // The upstream SSO session from the previous test signs her in without a form.
    const checks = await authorize(page, { connection: 'upstream-gh', prompt: 'login' });
    const claims = (await tokensFrom(page, checks)).claims();
    assert.equal(claims.family_name, 'Roe');
    assert.ok(!seen.some((u) => u.port === String(ctx.down.port) && u.pathname === '/u/login'),
      'the downstream login page was skipped');
    assert.deepEqual(ctx.profileHits, []);
    await page.close();
  });

  test('a password user without names is still sent to the profile site (the rule is live)', async () => {
    cli(['users', 'create', '--data-dir', ctx.down.dir, '--email', 'nameless@example.com', '--password', PASSWORD, '--json']);
    const page = await (await ctx.browser.newContext()).newPage();  // no SSO session
    await authorize(page);
    await submitLogin(page, 'nameless@example.com', PASSWORD);
    await page.waitForURL((u) => u.pathname === '/profile', { timeout: 20000 });
    assert.equal(ctx.profileHits.length, 1);
    await page.close();
  });

  test('a connection not enabled for the client is refused', async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    const patched = await ctx.down.api('PATCH', `/api/v2/connections/${ctx.connection.id}`, { enabled_clients: [] });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    try {
      await authorize(page, { connection: 'upstream-gh' });
      assert.match(await page.content(), /not enabled for this application/);
      await authorize(page);
      assert.equal(await page.getByRole('link', { name: /Continue with/ }).count(), 0);
    } finally {
      await ctx.down.api('PATCH', `/api/v2/connections/${ctx.connection.id}`, { enabled_clients: [ctx.app.client_id] });
      await page.close();
    }
  });
});
