// `gatehouse clients create|list|delete` on a real data directory (SPEC §7),
// and a created client used at the real token endpoint.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { request, run, serve, tempDir } from './harness.mjs';

const lastLine = (s) => s.trim().split('\n').at(-1);

function initDir(t) {
  const dir = path.join(tempDir(t), 'data');
  const r = run(['init', '--data-dir', dir]);
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

test('clients create --json prints the secret once; list never shows it', (t) => {
  const dir = initDir(t);
  const r = run(['clients', 'create', '--data-dir', dir, '--name', 'My App',
    '--callback', 'https://app.example.com/cb', '--callback', 'https://app.example.com/cb2',
    '--logout-url', 'https://app.example.com/', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.match(c.client_id, /^[A-Za-z0-9]{32}$/);
  assert.match(c.client_secret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(c.app_type, 'regular_web');
  assert.equal(c.token_endpoint_auth_method, 'client_secret_basic');
  assert.deepEqual(c.callbacks, ['https://app.example.com/cb', 'https://app.example.com/cb2']);
  assert.deepEqual(c.allowed_logout_urls, ['https://app.example.com/']);
  assert.deepEqual(c.grant_types, ['authorization_code', 'refresh_token']);

  const list = run(['clients', 'list', '--data-dir', dir, '--json']);
  assert.equal(list.status, 0, list.stderr);
  const clients = JSON.parse(list.stdout);
  assert.ok(clients.some((x) => x.client_id === c.client_id));
  assert.equal(list.stdout.includes(c.client_secret), false, 'no secret in list');
  assert.equal(list.stdout.includes('secret_hash'), false, 'no hash in list');

  const table = run(['clients', 'list', '--data-dir', dir]);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /My App/);

  const spa = run(['clients', 'create', '--data-dir', dir, '--name', 'SPA', '--type', 'spa',
    '--callback', 'http://localhost:3000/cb', '--json']);
  assert.equal(spa.status, 0, spa.stderr);
  const s = JSON.parse(spa.stdout);
  assert.equal(s.token_endpoint_auth_method, 'none');
  assert.equal(s.client_secret, undefined);
});

test('clients delete removes a client; unknown ids exit 1', (t) => {
  const dir = initDir(t);
  const c = JSON.parse(run(['clients', 'create', '--data-dir', dir, '--name', 'gone',
    '--json']).stdout);
  const del = run(['clients', 'delete', '--data-dir', dir, c.client_id]);
  assert.equal(del.status, 0, del.stderr);
  const list = JSON.parse(run(['clients', 'list', '--data-dir', dir, '--json']).stdout);
  assert.equal(list.some((x) => x.client_id === c.client_id), false);
  const again = run(['clients', 'delete', '--data-dir', dir, c.client_id]);
  assert.equal(again.status, 1);
  assert.equal(lastLine(again.stderr), `gatehouse: no such client: ${c.client_id}`);
});

test('clients usage errors exit 2, invalid specs exit 1', (t) => {
  const dir = initDir(t);
  assert.equal(run(['clients', 'create', '--data-dir', dir]).status, 2);  // no --name
  assert.equal(run(['clients', 'create', '--data-dir', dir, '--name', 'x', '--type', 'desktop'])
    .status, 2);
  assert.equal(run(['clients', 'create', '--data-dir', dir, '--name', 'x', '--grant', 'implicit'])
    .status, 2);
  assert.equal(run(['clients']).status, 2);
  assert.equal(run(['clients', 'delete', '--data-dir', dir]).status, 2);
  const frag = run(['clients', 'create', '--data-dir', dir, '--name', 'x',
    '--callback', 'https://app.example.com/cb#frag']);
  assert.equal(frag.status, 1);
  assert.match(lastLine(frag.stderr), /fragment/);
  const help = run(['clients', 'create', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--callback/);
});

test('a machine-to-machine client gets a Management API token from the server', async (t) => {
  const dir = initDir(t);
  const r = run(['clients', 'create', '--data-dir', dir, '--name', 'm2m', '--type',
    'non_interactive', '--management-scope', 'read:users', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.deepEqual(c.grant_types, ['client_credentials']);
  const server = await serve(t, dir);
  t.after(() => server.stop());
  const issuer = `http://127.0.0.1:${server.port}/`;
  const basic = Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64');
  const res = await request(server.port, '/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}`,
      Host: `127.0.0.1:${server.port}` },
    body: `grant_type=client_credentials&audience=${encodeURIComponent(`${issuer}api/v2/`)}`,
  });
  assert.equal(res.status, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  const body = JSON.parse(res.body);
  const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url'));
  assert.equal(claims.sub, `${c.client_id}@clients`);
  assert.equal(claims.scope, 'read:users');

  const wrong = await request(server.port, '/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${c.client_id}:nope`).toString('base64')}`,
      Host: `127.0.0.1:${server.port}` },
    body: 'grant_type=client_credentials',
  });
  assert.equal(wrong.status, 401);
  assert.equal(JSON.parse(wrong.body).error, 'invalid_client');
});
