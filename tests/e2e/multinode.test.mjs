// Issue 8: two Gatehouse nodes on one PostgreSQL behave as one server. Logins
// move between nodes mid-flow, codes and refresh tokens are shared, and the
// single-use /continue state stays single-use across nodes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { run, tempDir } from './harness.mjs';
import { Agent, PG_URL, SKIP, codeOf, idClaims, redeem, startCluster, token } from './multinode_support.mjs';

describe('two nodes sharing PostgreSQL', { skip: SKIP }, () => {
  let c;
  let A;
  let B;
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    c = await startCluster({ after: (fn) => cleanups.push(fn) });
    [A, B] = c.ports;
  });

  test('a redirect rule pauses the login on A; /continue on B resumes it; B redeems the code', async () => {
    const agent = new Agent(c);
    const start = await agent.authorize(A);
    assert.equal(start.status, 302);
    assert.ok(start.location.startsWith('http://127.0.0.1:9/external'), start.location);
    const resumed = await agent.resume(B, start.location);
    assert.equal(resumed.status, 302, resumed.body);
    const code = codeOf(c, resumed.headers.location);
    assert.ok(code, resumed.headers.location);
    const tokens = await redeem(c, B, code, start);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.json));
    const claims = idClaims(tokens.json.id_token);
    assert.equal(claims['https://example.org/resumed'], true);
    assert.equal(claims.iss, `http://${c.domain}/`);
  });

  test('the same /continue state is not accepted twice, on either node', async () => {
    const agent = new Agent(c);
    const start = await agent.authorize(B);
    const first = await agent.resume(A, start.location);
    assert.ok(codeOf(c, first.headers.location), first.headers.location);
    for (const port of [A, B]) {
      const again = await agent.resume(port, start.location);
      assert.equal(codeOf(c, again.headers.location), null, `replay on ${port} gave a code`);
    }
  });

  test('a code issued by A is redeemed at B, and only once', async () => {
    const agent = new Agent(c);
    const start = await agent.authorize(A, { redirect: false });
    const code = codeOf(c, start.location);
    assert.ok(code, start.location);
    const tokens = await redeem(c, B, code, start);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.json));
    // A token signed by A's process verifies at B (shared signing keys).
    const userinfo = await new Agent(c).request(B, 'GET', '/userinfo', {
      headers: { authorization: `Bearer ${tokens.json.access_token}` } });
    assert.equal(userinfo.status, 200, userinfo.body);
    const replay = await redeem(c, A, code, start);
    assert.equal(replay.status, 400);
    assert.equal(replay.json.error, 'invalid_grant');
  });

  test('a refresh token rotated on A is detected as reused on B (family revoked)', async () => {
    const agent = new Agent(c);
    const start = await agent.authorize(A, { redirect: false, scope: 'openid offline_access' });
    const first = await redeem(c, A, codeOf(c, start.location), start);
    assert.equal(first.status, 200, JSON.stringify(first.json));
    const rt1 = first.json.refresh_token;
    assert.ok(rt1, 'no refresh token');
    const rotated = await token(c, A, { grant_type: 'refresh_token', refresh_token: rt1 }, start.client);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
    const rt2 = rotated.json.refresh_token;
    assert.ok(rt2 && rt2 !== rt1);
    const reused = await token(c, B, { grant_type: 'refresh_token', refresh_token: rt1 }, start.client);
    assert.equal(reused.status, 400);
    assert.equal(reused.json.error, 'invalid_grant');
    // Reuse revokes the whole family: the successor is dead too, on either node.
    const successor = await token(c, B, { grant_type: 'refresh_token', refresh_token: rt2 }, start.client);
    assert.equal(successor.status, 400, JSON.stringify(successor.json));
  });

  test('50 concurrent /continue of one state split across A and B: exactly one succeeds', async () => {
    const agent = new Agent(c);
    const start = await agent.authorize(A);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      agent.resume(i % 2 ? A : B, start.location)));
    const winners = results.filter((r) => codeOf(c, r.headers.location));
    assert.equal(winners.length, 1, `statuses: ${results.map((r) => r.status).join(',')}`);
    for (const r of results) assert.ok(r.status < 500, `server error ${r.status}: ${r.body.slice(0, 200)}`);
    const tokens = await redeem(c, B, codeOf(c, winners[0].headers.location), start);
    assert.equal(tokens.status, 200);
  });

  test('both nodes serve the same JWKS and /healthz', async () => {
    const jwks = [];
    for (const port of [A, B]) {
      const agent = new Agent(c);
      assert.equal((await agent.request(port, 'GET', '/healthz')).status, 200);
      const r = await agent.request(port, 'GET', '/.well-known/jwks.json');
      assert.equal(r.status, 200);
      jwks.push(JSON.parse(r.body).keys.map((k) => k.kid).sort());
    }
    assert.deepEqual(jwks[0], jwks[1]);
  });
});

describe('schema versions on PostgreSQL', { skip: SKIP }, () => {
  test('serve refuses an unmigrated database and one newer than it knows; migrate fixes the first', (t) => {
    const psql = (sql, url = PG_URL) => {
      const r = spawnSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    psql('DROP DATABASE IF EXISTS schema_check');
    psql('CREATE DATABASE schema_check');
    const url = PG_URL.replace(/\/[^/]*$/, '/schema_check');
    const env = { GATEHOUSE_STORAGE_URL: url };
    const dir = tempDir(t);
    const unmigrated = run(['serve', '--data-dir', dir, '--listen', '127.0.0.1:9'], env);
    assert.notEqual(unmigrated.status, 0);
    assert.match(unmigrated.stderr, /gatehouse migrate/);
    const migrated = run(['migrate', '--data-dir', dir], env);
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.match(migrated.stdout, /schema version 0 -> \d+/);
    psql("INSERT INTO schema_migrations VALUES (9999, 'from a newer gatehouse', 0)", url);
    const newer = run(['serve', '--data-dir', dir, '--listen', '127.0.0.1:9'], env);
    assert.notEqual(newer.status, 0);
    assert.match(newer.stderr, /newer than this build knows/);
    const migrateNewer = run(['migrate', '--data-dir', dir], env);
    assert.notEqual(migrateNewer.status, 0);
  });
});
