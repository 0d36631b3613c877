// Attack group: the Management API. Every route without a token, with a token
// lacking the route's scope, with a token for another audience; mass
// assignment of read-only fields. Nothing may be read or changed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, cli, request, setup, suiteScope, token, tokensFor } from './lib.mjs';

// [method, path, scope, body]; :user/:rule/:client are filled in.
const ROUTES = [
  ['GET', '/api/v2/users', 'read:users'],
  ['POST', '/api/v2/users', 'create:users', { email: 'mallory@example.com', password: 'a long password 1', connection: 'Username-Password-Authentication' }],
  ['GET', '/api/v2/users/:user', 'read:users'],
  ['PATCH', '/api/v2/users/:user', 'update:users', { app_metadata: { admin: true } }],
  ['DELETE', '/api/v2/users/:user', 'delete:users'],
  ['GET', '/api/v2/users-by-email?email=alice%40example.com', 'read:users'],
  ['GET', '/api/v2/rules', 'read:rules'],
  ['POST', '/api/v2/rules', 'create:rules', { name: 'evil', script: 'function (u, c, cb) { cb(null, u, c); }' }],
  ['GET', '/api/v2/rules/:rule', 'read:rules'],
  ['PATCH', '/api/v2/rules/:rule', 'update:rules', { enabled: false }],
  ['DELETE', '/api/v2/rules/:rule', 'delete:rules'],
  ['GET', '/api/v2/rules-configs', 'read:rules_configs'],
  ['PUT', '/api/v2/rules-configs/EVIL', 'update:rules_configs', { value: 'x' }],
  ['DELETE', '/api/v2/rules-configs/SECRET', 'delete:rules_configs'],
  ['GET', '/api/v2/clients', 'read:clients'],
  ['POST', '/api/v2/clients', 'create:clients', { name: 'evil' }],
  ['GET', '/api/v2/clients/:client', 'read:clients'],
  ['PATCH', '/api/v2/clients/:client', 'update:clients', { callbacks: ['https://evil.example/cb'] }],
  ['DELETE', '/api/v2/clients/:client', 'delete:clients'],
  ['POST', '/api/v2/clients/:client/rotate-secret', 'update:clients'],
  ['GET', '/api/v2/logs', 'read:logs'],
  ['GET', '/api/v2/logs/some-id', 'read:logs'],
];

describe('Management API authorization', () => {
  let ctx;
  let admin;
  const ids = {};
  const scope = suiteScope(after);
  before(async () => {
    ctx = await setup(scope);
    admin = await adminToken(ctx);
    ids.user = ctx.alice.user_id;
    ids.client = ctx.clientB.client_id;
    const rule = await api('POST', '/api/v2/rules', admin, { name: 'victim-rule', script: 'function (u, c, cb) { cb(null, u, c); }' });
    assert.equal(rule.status, 201, rule.body);
    ids.rule = JSON.parse(rule.body).id;
    assert.equal((await api('PUT', '/api/v2/rules-configs/SECRET', admin, { value: 's3cret' })).status, 200);
  });

  function api(method, path, tok, body) {
    const headers = { 'content-type': 'application/json' };
    if (tok) headers.authorization = `Bearer ${tok}`;
    return request(ctx.port, path.replace(':user', encodeURIComponent(ids.user ?? '')).replace(':rule', ids.rule ?? '')
      .replace(':client', ids.client ?? ''), { method, headers, body: body ? JSON.stringify(body) : undefined });
  }

  // What the admin sees, to prove nothing changed.
  async function snapshot() {
    const out = {};
    for (const p of ['/api/v2/users', '/api/v2/rules', '/api/v2/rules-configs', '/api/v2/clients']) {
      const r = await api('GET', p, admin);
      assert.equal(r.status, 200, `${p}: ${r.body}`);
      out[p] = JSON.parse(r.body);
    }
    return JSON.stringify(out);
  }

  async function refusedEverywhere(label, tok, expectedStatus) {
    const before = await snapshot();
    for (const [method, path, , body] of ROUTES) {
      const res = await api(method, path, tok, body);
      assert.equal(res.status, expectedStatus, `${label} ${method} ${path}: ${res.status} ${res.body}`);
      const json = JSON.parse(res.body);
      assert.equal(json.statusCode, expectedStatus);
      assert.doesNotMatch(res.body, /alice@example\.com|s3cret|client_secret/, `${label} ${method} ${path}`);
    }
    assert.equal(await snapshot(), before, `${label}: state changed`);
  }

  test('no token: every route is 401', () => refusedEverywhere('no token', undefined, 401));

  test('garbage and wrong-scheme credentials: every route is 401', async () => {
    await refusedEverywhere('garbage', 'not-a-jwt', 401);
  });

  test('a user\'s access token (another audience): every route is 401', async () => {
    const { access_token: user } = await tokensFor(ctx);
    await refusedEverywhere('user token', user, 401);
  });

  test('an M2M token without Management API scopes: every route is 403', async () => {
    const m2m = cli(['clients', 'create', '--data-dir', ctx.dir, '--name', 'weak m2m', '--type', 'non_interactive',
      '--grant', 'client_credentials', '--management-scope', 'read:client_keys', '--json']);
    const res = await token(ctx.port, { grant_type: 'client_credentials', client_id: m2m.client_id,
      client_secret: m2m.client_secret, audience: `${ctx.issuer}api/v2/` });
    assert.equal(res.status, 200, res.body);
    await refusedEverywhere('unscoped m2m', res.json.access_token, 403);
  });

  test('each route refuses a token holding every scope except its own (403)', async () => {
    const all = ROUTES.map((r) => r[2]);
    for (const [method, path, scope, body] of ROUTES) {
      const narrowed = [...new Set(all.filter((s) => s !== scope))].join(' ');
      const tok = await adminToken(ctx, narrowed);
      const res = await api(method, path, tok, body);
      assert.equal(res.status, 403, `${method} ${path} without ${scope}: ${res.status} ${res.body}`);
    }
    // Still all there.
    assert.equal((await api('GET', '/api/v2/rules/:rule', admin)).status, 200);
    assert.equal((await api('GET', '/api/v2/users/:user', admin)).status, 200);
  });

  test('mass assignment on users: read-only fields are refused and nothing changes', async () => {
    const before = JSON.parse((await api('GET', '/api/v2/users/:user', admin)).body);
    for (const field of [{ user_id: 'auth0|taken-over' }, { created_at: '2000-01-01T00:00:00.000Z' },
      { logins_count: 999 }, { last_login: '2000-01-01T00:00:00.000Z' }, { identities: [] }, { last_ip: '1.2.3.4' },
      { password_hash: '$2b$10$abcdefghijklmnopqrstuv' }, { updated_at: '2000-01-01T00:00:00.000Z' }]) {
      const res = await api('PATCH', '/api/v2/users/:user', admin, { ...field, user_metadata: { marker: 1 } });
      assert.equal(res.status, 400, `${JSON.stringify(field)}: ${res.status} ${res.body}`);
    }
    const afterPatch = JSON.parse((await api('GET', '/api/v2/users/:user', admin)).body);
    assert.deepEqual(afterPatch, before);
  });

  test('mass assignment on clients: client_id and client_secret cannot be set', async () => {
    const before = JSON.parse((await api('GET', '/api/v2/clients/:client', admin)).body);
    for (const field of [{ client_id: 'chosen-id' }, { client_secret: 'chosen-secret-chosen-secret' }]) {
      const res = await api('PATCH', '/api/v2/clients/:client', admin, field);
      assert.equal(res.status, 400, `${JSON.stringify(field)}: ${res.status} ${res.body}`);
    }
    const created = await api('POST', '/api/v2/clients', admin, { name: 'x', client_id: 'chosen-id' });
    assert.equal(created.status, 400, created.body);
    assert.deepEqual(JSON.parse((await api('GET', '/api/v2/clients/:client', admin)).body), before);
    // The chosen secret does not authenticate.
    const res = await token(ctx.port, { grant_type: 'client_credentials', client_id: ctx.clientB.client_id,
      client_secret: 'chosen-secret-chosen-secret', audience: `${ctx.issuer}api/v2/` });
    assert.equal(res.status, 401);
  });

  test('a non-M2M client cannot obtain a Management API token', async () => {
    const res = await token(ctx.port, { grant_type: 'client_credentials', client_id: ctx.clientA.client_id,
      client_secret: ctx.clientA.client_secret, audience: `${ctx.issuer}api/v2/` });
    assert.ok(res.status === 400 || res.status === 401 || res.status === 403, res.body);
    assert.equal(res.json.access_token, undefined);
  });
});
