// The platform as an operator meets it: init, serve, JWKS, health, Host
// checks, clean shutdown, usage errors (SPEC §1, §6, §7).
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { request, run, serve, tempDir } from './harness.mjs';

test('init --json creates config, database and keys, and prints one JSON object', (t) => {
  const dir = path.join(tempDir(t), 'data');
  const r = run(['init', '--data-dir', dir, '--domain', 'id.example.test', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.domain, 'id.example.test');
  assert.equal(out.issuer, 'http://id.example.test/');
  assert.ok(existsSync(path.join(dir, 'gatehouse.toml')));
  assert.ok(existsSync(out.database));
  assert.deepEqual(out.signing_keys.map((k) => k.alg).sort(), ['ES256', 'RS256']);
  for (const k of out.signing_keys) assert.match(k.kid, /^[A-Za-z0-9_-]{43}$/);
});

test('init refuses to overwrite an existing data directory', (t) => {
  const dir = tempDir(t);
  assert.equal(run(['init', '--data-dir', dir]).status, 0);
  const again = run(['init', '--data-dir', dir]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already initialised/);
});

test('usage errors exit 2 with a one-line reason; --help and --version exit 0', () => {
  for (const args of [[], ['frobnicate'], ['init'], ['serve', '--bogus'], ['init', '--data-dir']]) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  for (const args of [['--help'], ['init', '--help'], ['serve', '--help']]) {
    const r = run(args);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--data-dir|Subcommands/);
  }
  const v = run(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^gatehouse \d+\.\d+\.\d+/);
});

test('serve publishes the JWKS, answers health, refuses unknown hosts, stops cleanly', async (t) => {
  const dir = tempDir(t);
  const init = JSON.parse(run(['init', '--data-dir', dir, '--json']).stdout);
  const server = await serve(t, dir);

  const jwks = await request(server.port, '/.well-known/jwks.json');
  assert.equal(jwks.status, 200);
  assert.match(jwks.headers['content-type'], /^application\/json/);
  const { keys } = JSON.parse(jwks.body);
  assert.deepEqual(keys.map((k) => k.kid).sort(), init.signing_keys.map((k) => k.kid).sort());
  for (const k of keys) {
    assert.equal(k.use, 'sig');
    assert.ok(['RS256', 'ES256'].includes(k.alg));
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(k[secret], undefined);
  }
  const rsa = keys.find((k) => k.alg === 'RS256');
  assert.equal(rsa.kty, 'RSA');
  assert.equal(Buffer.from(rsa.n, 'base64url').length, 256); // 2048-bit modulus
  const ec = keys.find((k) => k.alg === 'ES256');
  assert.equal(ec.crv, 'P-256');

  const health = await request(server.port, '/healthz');
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).status, 'ok');

  const misdirected = await request(server.port, '/.well-known/jwks.json', { headers: { Host: 'evil.example' } });
  assert.equal(misdirected.status, 421);
  const localhost = await request(server.port, '/.well-known/jwks.json', { headers: { Host: `localhost:${server.port}` } });
  assert.equal(localhost.status, 200);

  const missing = await request(server.port, '/no/such/page');
  assert.equal(missing.status, 404);
  assert.equal(JSON.parse(missing.body).error, 'not_found');

  const { code } = await server.stop('SIGTERM');
  assert.equal(code, 0);
  const lines = server.logs().trim().split('\n');
  for (const line of lines) JSON.parse(line); // every log line is JSON
  assert.ok(lines.some((l) => JSON.parse(l).msg === 'http_request'));
  assert.ok(!server.logs().includes('PRIVATE KEY'));
});

test('keys are generated once and survive a restart', async (t) => {
  const dir = tempDir(t); // serve on a directory never initialised: defaults, keys made on first start
  const first = await serve(t, dir);
  const a = JSON.parse((await request(first.port, '/.well-known/jwks.json')).body);
  assert.equal((await first.stop()).code, 0);
  const second = await serve(t, dir);
  const b = JSON.parse((await request(second.port, '/.well-known/jwks.json')).body);
  assert.deepEqual(b, a);
  assert.equal((await second.stop('SIGINT')).code, 0);
});

test('a bad configuration is refused with every problem listed', (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'gatehouse.toml'), '[limits]\nmax_body_bytes = -5\n[log]\nlevel = "chatty"\n');
  const r = run(['serve', '--data-dir', dir, '--listen', '127.0.0.1:1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /limits\.max_body_bytes/);
  assert.match(r.stderr, /log\.level/);
});

test('serve without a data directory is a usage error', () => {
  const r = run(['serve'], { GATEHOUSE_DATA_DIR: '' });
  assert.equal(r.status, 2);
});
