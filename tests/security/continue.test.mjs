// Attack group: the /continue state of redirect rules (SPEC §3). Replay,
// cross-browser, cross-user, cross-domain, expired, tampered, swapped between
// two logins of one browser, huge / non-ASCII / CRLF values, and /continue
// before any redirect. A refused state never yields a code, and a state an
// attacker cannot use is not burnt for its owner.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, exchange, login, setup, SQLITE_WAIT, suiteScope } from './lib.mjs';


const RULE = `function redirectOnce(user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.org/resumed_as'] = user.email;
    context.idToken['https://example.org/answer'] = context.request.body.answer || context.request.query.answer || null;
    return callback(null, user, context);
  }
  context.redirect = { url: 'https://ext.example/step?x=1' };
  callback(null, user, context);
}`;

const payload = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));

describe('/continue state', () => {
  let ctx;
  let otherHost;
  const scope = suiteScope(after);
  before(async () => {
    ctx = await setup(scope, { rules: { '10-redirect': RULE }, customDomains: (port) => [`localhost:${port}`] });
    otherHost = `localhost:${ctx.port}`;
  });

  // Logs in and stops at the rule's redirect: { agent, state }.
  async function paused(agent = new Agent(ctx.port), client = ctx.clientA, email = 'alice@example.com') {
    // prompt=login: a second login in the same browser shows the password page again.
    const res = await login(agent, client, { email, extra: { prompt: 'login' } });
    assert.equal(res.status, 302, res.body);
    const loc = new URL(res.headers.location);
    assert.equal(loc.origin + loc.pathname, 'https://ext.example/step', res.headers.location);
    const state = loc.searchParams.get('state');
    assert.ok(state);
    return { agent, state };
  }

  const resume = (agent, state, opts = {}) => agent.post('/continue', { state, answer: '42', ...(opts.fields ?? {}) }, opts);

  function assertRefused(res, label, status = 400) {
    assert.equal(res.status, status, `${label}: ${res.status} ${res.headers.location ?? ''}`);
    assert.ok(!/[?&]code=/.test(res.headers.location ?? ''), `${label}: code issued`);
  }

  async function assertResumes(agent, state, client = ctx.clientA, email = 'alice@example.com') {
    const res = await resume(agent, state);
    assert.equal(res.status, 302, res.body);
    const u = new URL(res.headers.location);
    assert.equal(u.origin + u.pathname, client.redirect_uri);
    const tokens = await exchange(ctx, client, u.searchParams.get('code'));
    assert.equal(tokens.status, 200, tokens.body);
    assert.equal(payload(tokens.json.id_token)['https://example.org/resumed_as'], email);
    return tokens.json;
  }

  test('the owner resumes once; replay is refused with no code', async () => {
    const { agent, state } = await paused();
    await assertResumes(agent, state);
    const replay = await resume(agent, state);
    assert.ok(!/[?&]code=/.test(replay.headers.location ?? ''), 'replay issued a code');
    if (replay.status === 302) assert.equal(new URL(replay.headers.location).searchParams.get('error'), 'invalid_request');
    else assert.equal(replay.status, 400);
  });

  test('cross-browser / cross-user: another browser\'s cookie cannot use the state, and it is not burnt', async () => {
    const { agent, state } = await paused();
    const attacker = new Agent(ctx.port);
    await paused(attacker, ctx.clientA, 'bob@example.com');  // bob's own browser with its own gh_tx
    assertRefused(await resume(attacker, state), 'bob\'s browser');
    assertRefused(await resume(new Agent(ctx.port), state), 'no cookie');
    await assertResumes(agent, state);
  });

  test('cross-domain: a state from domain A is refused on custom domain B and still works on A', async () => {
    const { agent, state } = await paused();
    assertRefused(await resume(agent, state, { host: otherHost }), 'other domain');
    await assertResumes(agent, state);
  });

  test('tampered, truncated, huge, non-ASCII and CRLF states are refused', async () => {
    const { agent, state } = await paused();
    const flip = state.slice(0, -1) + (state.endsWith('A') ? 'B' : 'A');
    for (const [label, s] of [['tampered', flip], ['truncated', state.slice(0, -2)], ['extended', `${state}A`],
      ['huge', 'A'.repeat(200_000)], ['non-ASCII', 'é✓\u{1F600}'], ['CRLF', `${state}\r\nSet-Cookie: pwned=1`],
      ['NUL', `${state}\u0000`], ['empty', '']]) {
      const res = await resume(agent, s);
      assert.ok([400, 413].includes(res.status), `${label}: ${res.status}`);
      assert.equal(res.headers['set-cookie']?.some?.((c) => c.startsWith('pwned')) ?? false, false, label);
      assert.doesNotMatch(res.body, /\u{1F600}|<script/u);
    }
    // CRLF in another form field reaches the rule as data, not as a header.
    const res = await resume(agent, state, { fields: { answer: 'x\r\nLocation: https://evil.example/' } });
    assert.equal(res.status, 302);
    assert.ok(res.headers.location.startsWith(ctx.clientA.redirect_uri), res.headers.location);
  });

  test('swapped between two logins of one browser: each state resumes only its own login', async () => {
    const agent = new Agent(ctx.port);
    const first = await paused(agent, ctx.clientA, 'alice@example.com');
    const second = await paused(agent, ctx.clientB, 'bob@example.com');
    // Returned in the opposite order: each still lands at its own client as its own user.
    await assertResumes(agent, second.state, ctx.clientB, 'bob@example.com');
    await assertResumes(agent, first.state, ctx.clientA, 'alice@example.com');
  });

  test('/continue before any redirect: no state, a random state, or a login id are refused', async () => {
    const agent = new Agent(ctx.port);
    const started = await agent.req(`/authorize?${new URLSearchParams({ client_id: ctx.clientA.client_id,
      response_type: 'code', scope: 'openid', redirect_uri: ctx.clientA.redirect_uri, state: 's' })}`);
    const tx = new URL(started.headers.location, 'http://x').searchParams.get('tx');
    assertRefused(await agent.req('/continue'), 'no state');
    assertRefused(await resume(agent, 'A'.repeat(43)), 'random');
    assertRefused(await resume(agent, tx), 'transaction id as state');
    assertRefused(await agent.req(`/continue?state=${tx}`), 'GET with transaction id');
  });

  test('expired: a state past its lifetime is refused with no code', async () => {
    const { agent, state } = await paused();
    // Move the deadline into the past in the stored transaction (the server's
    // clock is real; the minimum configurable lifetime is a minute).
    const db = path.join(ctx.dir, 'gatehouse.db');
    const rows = JSON.parse(execFileSync('sqlite3', [...SQLITE_WAIT, '-json', db,
      "SELECT kind, hex(id) AS id, CAST(data AS TEXT) AS data, typeof(data) AS t FROM records WHERE CAST(data AS TEXT) LIKE '%state_expires_at%'"],
    { encoding: 'utf8' }) || '[]');
    let patched = 0;
    for (const row of rows) {
      const data = JSON.parse(row.data);
      if (data.resume?.state_expires_at === undefined || data.resume.state_hash === undefined) continue;
      data.resume.state_expires_at = 1;
      const text = JSON.stringify(data).replace(/'/g, "''");
      const value = row.t === 'blob' ? `CAST('${text}' AS BLOB)` : `'${text}'`;
      execFileSync('sqlite3', [...SQLITE_WAIT, db, `UPDATE records SET data = ${value} WHERE kind='${row.kind}' AND hex(id)='${row.id}'`]);
      patched++;
    }
    assert.ok(patched >= 1, 'found the paused transaction');
    const res = await resume(agent, state);
    assert.ok(!/[?&]code=/.test(res.headers.location ?? ''), 'expired state issued a code');
    if (res.status === 302) assert.equal(new URL(res.headers.location).searchParams.get('error'), 'invalid_request');
    else assert.equal(res.status, 400);
  });

  test('the state is single-use under a race: 10 concurrent resumes, one code', async () => {
    const { agent, state } = await paused();
    const results = await Promise.all(Array.from({ length: 10 }, () => resume(agent, state)));
    const codes = results.filter((r) => /[?&]code=/.test(r.headers.location ?? ''));
    assert.equal(codes.length, 1, results.map((r) => `${r.status} ${r.headers.location}`).join('\n'));
  });

});
