// Issue 13, the unhappy paths of an upstream round trip, against a scripted
// OpenID provider (node:http + node:crypto ES256) that can misbehave on
// purpose: state mismatch, wrong nonce, a token signed by a key it never
// published, a wrong issuer, an error response. Each must end on a clear
// error page at Gatehouse, leave a tenant log event "f", and create or change
// no account. A well-behaved run first proves the scripted provider works.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { cli, instance, listen } from './connections_helpers.mjs';

const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function signEs256(claims, key, kid) {
  const input = `${b64url({ alg: 'ES256', typ: 'JWT', kid })}.${b64url(claims)}`;
  const sig = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

describe('upstream round trip failures', () => {
  const ctx = { mode: 'good' };
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    const key = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rogue = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...key.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
    ctx.pending = new Map();  // code -> { nonce }
    let idpIssuer = '';
    const idpPort = await listen(t, (req, res) => {
      const url = new URL(req.url, 'http://x');
      const json = (status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: idpIssuer, authorization_endpoint: `${idpIssuer}authorize`, token_endpoint: `${idpIssuer}token`,
          jwks_uri: `${idpIssuer}jwks`, id_token_signing_alg_values_supported: ['ES256'],
          token_endpoint_auth_methods_supported: ['client_secret_post'],
        });
      }
      if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
      if (url.pathname === '/authorize') {
        const q = url.searchParams;
        assert.equal(q.get('code_challenge_method'), 'S256');
        const code = crypto.randomBytes(16).toString('hex');
        ctx.pending.set(code, { nonce: q.get('nonce') });
        const back = new URL(q.get('redirect_uri'));
        if (ctx.mode === 'error') {
          back.searchParams.set('error', 'access_denied');
          back.searchParams.set('error_description', 'The user cancelled');
          back.searchParams.set('state', q.get('state'));
        } else {
          back.searchParams.set('code', code);
          back.searchParams.set('state', ctx.mode === 'state' ? `${q.get('state')}x` : q.get('state'));
        }
        res.writeHead(302, { location: back.href });
        return res.end();
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        let body = '';
        req.on('data', (c) => { body += c; });
        req.on('end', () => {
          const form = new URLSearchParams(body);
          const grant = ctx.pending.get(form.get('code'));
          if (!grant || form.get('client_secret') !== 'idp-secret' || !form.get('code_verifier')) {
            return json(400, { error: 'invalid_grant' });
          }
          const now = Math.floor(Date.now() / 1000);
          const claims = {
            iss: ctx.mode === 'issuer' ? 'http://evil.example/' : idpIssuer, aud: 'gatehouse-at-idp',
            sub: 'idp-user-1', nonce: ctx.mode === 'nonce' ? 'a-nonce-from-another-login' : grant.nonce,
            iat: now, exp: now + 300, email: 'sam@idp.example', email_verified: true,
            given_name: 'Sam', family_name: 'Upstream',
          };
          const token = ctx.mode === 'key' ? signEs256(claims, rogue.privateKey, 'k2') : signEs256(claims, key.privateKey, 'k1');
          json(200, { access_token: 'at', token_type: 'Bearer', id_token: token });
        });
        return undefined;
      }
      res.writeHead(404);
      return res.end();
    });
    idpIssuer = `http://127.0.0.1:${idpPort}/`;

    ctx.down = await instance(t);
    const rp = await listen(t, (req, res) => { res.writeHead(200); res.end('callback'); });
    ctx.redirectUri = `http://127.0.0.1:${rp}/callback`;
    ctx.app = cli(['clients', 'create', '--data-dir', ctx.down.dir, '--name', 'Shop', '--type', 'regular_web',
      '--callback', ctx.redirectUri, '--grant', 'authorization_code', '--json']);
    // Created through the CLI this time (the API path is covered by the happy suite).
    ctx.connection = cli(['connections', 'create', '--data-dir', ctx.down.dir, '--name', 'scripted',
      '--display-name', 'Scripted IdP', '--issuer', idpIssuer, '--client-id', 'gatehouse-at-idp',
      '--client-secret', 'idp-secret', '--enable-client', ctx.app.client_id, '--json']);
    ctx.browser = await launchBrowser(t);
  });

  // One login through connection=scripted in a fresh browser; resolves the final page.
  async function attempt() {
    const page = await (await ctx.browser.newContext()).newPage();
    const params = new URLSearchParams({
      client_id: ctx.app.client_id, response_type: 'code', scope: 'openid profile email',
      redirect_uri: ctx.redirectUri, state: 'client-state', nonce: 'client-nonce', connection: 'scripted',
    });
    const final = await page.goto(`${ctx.down.issuer}authorize?${params}`);
    return { page, status: final.status(), url: new URL(page.url()), text: await page.textContent('body') };
  }

  async function users() {
    const r = await ctx.down.api('GET', '/api/v2/users?include_totals=true&per_page=50');
    return r.body.users.map((u) => `${u.user_id}:${u.family_name}:${u.logins_count}`).sort();
  }

  async function failures() {
    const r = await ctx.down.api('GET', '/api/v2/logs?per_page=100');
    return r.body.filter((l) => l.type === 'f');
  }

  test('control: the scripted provider signs Sam in', async () => {
    ctx.mode = 'good';
    const { page, url } = await attempt();
    assert.equal(url.origin + url.pathname, ctx.redirectUri);
    assert.ok(url.searchParams.get('code'));
    assert.deepEqual(await users(), ['oidc|scripted|idp-user-1:Upstream:1']);
    await page.close();
  });

  const cases = [
    ['state', /state mismatch/i, /state/],
    ['nonce', /failed verification/, /nonce/],
    ['key', /failed verification/, /key|kid/],
    ['issuer', /failed verification/, /iss/i],
    ['error', /did not sign you in \(access_denied: The user cancelled\)/, /upstream error response/],
  ];
  for (const [mode, shown, reason] of cases) {
    test(`${mode}: an error page, an "f" log event, no account created or changed`, async () => {
      const before = await users();
      const failed = (await failures()).length;
      ctx.mode = mode;
      const { page, status, url, text } = await attempt();
      assert.equal(url.pathname, '/login/callback');
      assert.equal(status, 400);
      assert.match(text, shown);
      assert.deepEqual(await users(), before, 'no account created or changed');
      const events = await failures();
      assert.equal(events.length, failed + 1);
      assert.match(JSON.stringify(events[0].details), reason);
      if (mode !== 'state') assert.equal(events[0].connection, 'scripted');
      await page.close();
    });
  }

  test('a replayed callback URL is refused (single-use state)', async () => {
    ctx.mode = 'good';
    const page = await (await ctx.browser.newContext()).newPage();
    const callbacks = [];
    page.on('request', (r) => { if (r.url().includes('/login/callback')) callbacks.push(r.url()); });
    const params = new URLSearchParams({
      client_id: ctx.app.client_id, response_type: 'code', scope: 'openid', redirect_uri: ctx.redirectUri,
      state: 's', connection: 'scripted',
    });
    await page.goto(`${ctx.down.issuer}authorize?${params}`);
    assert.equal(callbacks.length, 1);
    const failed = (await failures()).length;
    const replay = await page.goto(callbacks[0]);
    assert.equal(replay.status(), 400);
    assert.match(await page.textContent('body'), /state mismatch/i);
    assert.equal((await failures()).length, failed + 1);
    await page.close();
  });
});
