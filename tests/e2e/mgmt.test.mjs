// The Management API driven by the official `auth0` SDK (ManagementClient,
// pinned in package.json) against a real `gatehouse serve` (SPEC §5).
//
// How the SDK is pointed at a plain-HTTP loopback server (auth0 7.x): it
// always builds `https://${domain}/api/v2` (the `baseUrl` and `fetcher`
// options are overwritten/deleted by the wrapper), but it passes the
// documented `fetch` option through to every request; that fetch rewrites
// https://127.0.0.1:<port> to http://. Its client-credentials token provider
// also hard-codes https and does not use `fetch`, so the test gets the token
// from our /oauth/token itself and hands it over with the `token` option.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ManagementError } from 'auth0';
import { freePort, managementClient, request, run, serve, tempDir } from './harness.mjs';

async function setUp(t) {
  const port = await freePort();
  const dir = path.join(tempDir(t), 'data');
  const init = run(['init', '--data-dir', dir, '--domain', `127.0.0.1:${port}`, '--json']);
  assert.equal(init.status, 0, init.stderr);
  const { admin_client: admin, issuer } = JSON.parse(init.stdout);
  assert.match(admin.client_id, /^[A-Za-z0-9]{32}$/);
  assert.match(admin.client_secret, /^[A-Za-z0-9_-]{43}$/);
  const server = await serve(t, dir, { port });
  const { management, token } = await managementClient(port, admin, issuer);
  return { port, dir, server, token, management, admin };
}

test('users: create, get, search, update metadata and password, by email, delete', async (t) => {
  const { management } = await setUp(t);
  const created = await management.users.create({
    connection: 'Username-Password-Authentication',
    email: 'ada@example.com',
    password: 'correct horse battery',
    name: 'Ada Lovelace',
    user_metadata: { theme: 'dark', nested: { a: 1 } },
  });
  assert.match(created.user_id, /^auth0\|/);
  assert.equal(created.email, 'ada@example.com');
  const id = created.user_id;

  const got = await management.users.get(id);
  assert.equal(got.name, 'Ada Lovelace');
  assert.deepEqual(got.user_metadata, { theme: 'dark', nested: { a: 1 } });

  const merged = await management.users.update(id, {
    user_metadata: { lang: 'fr', nested: { b: 2 }, theme: null },
    app_metadata: { plan: 'pro' },
  });
  assert.deepEqual(merged.user_metadata, { lang: 'fr', nested: { b: 2 } });
  assert.deepEqual(merged.app_metadata, { plan: 'pro' });

  const pw = await management.users.update(id, {
    password: 'a brand new passphrase', connection: 'Username-Password-Authentication',
  });
  assert.ok(pw.last_password_reset, 'last_password_reset is set');

  await management.users.create({
    connection: 'Username-Password-Authentication', email: 'grace@navy.mil',
    password: 'correct horse battery',
  });
  const page = await management.users.list({ q: 'email:"grace@navy.mil"', search_engine: 'v3' });
  assert.deepEqual(page.data.map((u) => u.email), ['grace@navy.mil']);
  const all = await management.users.list({ per_page: 1, include_totals: true });
  assert.equal(all.data.length, 1);

  const byEmail = await management.users.listUsersByEmail({ email: 'ADA@example.com' });
  assert.deepEqual(byEmail.map((u) => u.user_id), [id]);

  await management.users.delete(id);
  await assert.rejects(management.users.get(id), (e) => {
    assert.ok(e instanceof ManagementError);
    assert.equal(e.statusCode, 404);
    return true;
  });
});

test('users: read-only fields and bad metadata keys are refused with 400', async (t) => {
  const { management } = await setUp(t);
  const u = await management.users.create({
    connection: 'Username-Password-Authentication', email: 'ro@example.com',
    password: 'correct horse battery',
  });
  await assert.rejects(management.users.update(u.user_id, { logins_count: 7 }),
    (e) => e.statusCode === 400);
  await assert.rejects(management.users.update(u.user_id, { user_metadata: { 'a.b': 1 } }),
    (e) => e.statusCode === 400);
});

test('rules: create, update, delete; a script that does not compile is refused', async (t) => {
  const { management } = await setUp(t);
  const script = 'function (user, context, callback) { callback(null, user, context); }';
  const rule = await management.rules.create({ name: 'add-claims', script, order: 1 });
  assert.match(rule.id, /^rul_/);
  assert.equal(rule.enabled, true);
  const updated = await management.rules.update(rule.id, { enabled: false, order: 5 });
  assert.equal(updated.enabled, false);
  assert.equal(updated.order, 5);
  const list = await management.rules.list();
  assert.deepEqual(list.data.map((r) => r.name), ['add-claims']);
  await assert.rejects(management.rules.create({ name: 'broken', script: 'function (user {' }),
    (e) => {
      assert.equal(e.statusCode, 400);
      assert.match(JSON.stringify(e.body), /SyntaxError.*line 1/);
      return true;
    });
  await management.rules.delete(rule.id);
  await assert.rejects(management.rules.get(rule.id), (e) => e.statusCode === 404);
});

test('rules-configs: set and delete; values are never returned', async (t) => {
  const { management } = await setUp(t);
  await management.rulesConfigs.set('API_KEY', { value: 's3cret' });
  const keys = await management.rulesConfigs.list();
  assert.deepEqual(keys, [{ key: 'API_KEY' }]);
  await management.rulesConfigs.delete('API_KEY');
  assert.deepEqual(await management.rulesConfigs.list(), []);
});

test('clients: create shows the secret once, delete; logs list the API operations', async (t) => {
  const { management, admin } = await setUp(t);
  const c = await management.clients.create({
    name: 'From the SDK', app_type: 'regular_web', callbacks: ['https://app.example.com/cb'],
  });
  assert.match(c.client_id, /^[A-Za-z0-9]{32}$/);
  assert.ok(c.client_secret);
  const again = await management.clients.get(c.client_id);
  assert.equal(again.client_secret, undefined);
  await management.clients.delete(c.client_id);
  await assert.rejects(management.clients.get(c.client_id), (e) => e.statusCode === 404);

  const logs = await management.logs.list({ per_page: 50 });
  const types = logs.data.map((l) => l.type);
  assert.ok(types.includes('seccft'), `token exchange logged: ${types}`);
  assert.ok(types.includes('sapi'), `API operation logged: ${types}`);
  const create = logs.data.find((l) => l.type === 'sapi' && l.description === 'Create a client');
  assert.equal(create.client_id, admin.client_id);
  // SDK 7.x names Auth0's `q` parameter `search`.
  const filtered = await management.logs.list({ search: 'type:"sapi"' });
  assert.ok(filtered.data.length >= 2 && filtered.data.every((l) => l.type === 'sapi'),
    JSON.stringify(filtered.data.map((l) => [l.type, l.description])));
});

test('no token is 401 and a token without the scope is 403, in Auth0\'s error shape', async (t) => {
  const { port } = await setUp(t);
  const r = await request(port, '/api/v2/users', { headers: { Host: `127.0.0.1:${port}` } });
  assert.equal(r.status, 401);
  const body = JSON.parse(r.body);
  assert.equal(body.statusCode, 401);
  assert.equal(body.error, 'Unauthorized');
  assert.equal(body.message, 'Missing authentication');
});
