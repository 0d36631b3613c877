// Crash safety: logins with a redirect rule, user creations and metadata
// updates under load while the server is killed with SIGKILL at random points,
// 20 times, restarting each time. Afterwards: every acknowledged user and
// metadata update is there, no consumed /continue state, code or rotated-out
// refresh token works again, and SQLite's integrity_check is ok.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { adminToken, Agent, codeFrom, exchange, login, request, serve, setup, SQLITE_WAIT, suiteScope, token } from './lib.mjs';


const RULE = `function redirectOnce(user, context, callback) {
  if (context.protocol === 'redirect-callback' || context.protocol === 'oauth2-refresh-token') return callback(null, user, context);
  context.redirect = { url: 'https://ext.example/step' };
  callback(null, user, context);
}`;
const KILLS = 20;

describe('crash safety under kill -9', () => {
  let ctx;
  const scope = suiteScope(after);
  before(async () => {
    ctx = await setup(scope, { rules: { '10-redirect': RULE } });
  });

  const acked = { users: new Map(), metadata: new Map(), states: [], codes: [], refresh: [] };

  async function api(method, p, tok, body) {
    const res = await request(ctx.port, p, { method, headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, json: res.body ? JSON.parse(res.body) : undefined };
  }

  // One worker: loops over operations until the server dies; records only
  // what the server acknowledged.
  async function worker(id, round, tok) {
    let n = 0;
    for (;;) {
      n++;
      try {
        const kind = n % 3;
        if (kind === 0) {
          const email = `crash-${round}-${id}-${n}@example.com`;
          const r = await api('POST', '/api/v2/users', tok, { email, password: 'crash test password 1', connection: 'Username-Password-Authentication' });
          if (r.status === 201) acked.users.set(email, r.json.user_id);
        } else if (kind === 1) {
          const user = ctx.alice.user_id;
          const value = round * 100000 + id * 1000 + n;
          const key = `w${id}`;
          const r = await api('PATCH', `/api/v2/users/${encodeURIComponent(user)}`, tok, { user_metadata: { [key]: value } });
          if (r.status === 200) acked.metadata.set(key, value);
        } else {
          const agent = new Agent(ctx.port);
          const paused = await login(agent, ctx.clientA);
          const state = new URL(paused.headers.location).searchParams.get('state');
          const resumed = await agent.post('/continue', { state });
          const { code } = codeFrom(resumed);
          acked.states.push({ agent, state });
          const tokens = await exchange(ctx, ctx.clientA, code);
          if (tokens.status !== 200) continue;
          acked.codes.push(code);
          const rotated = await token(ctx.port, { grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token,
            client_id: ctx.clientA.client_id, client_secret: ctx.clientA.client_secret });
          if (rotated.status === 200) acked.refresh.push(tokens.json.refresh_token);
        }
      } catch {
        return n;  // connection refused / reset: the server is gone
      }
    }
  }

  test(`${KILLS} kills at random points lose nothing acknowledged and revive nothing consumed`, { timeout: 600_000 }, async () => {
    for (let round = 0; round < KILLS; round++) {
      const tok = await adminToken(ctx);
      const workers = [1, 2, 3, 4].map((id) => worker(id, round, tok));
      await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 800)));
      await ctx.server.stop('SIGKILL');
      await Promise.all(workers);
      ctx.server = await serve(scope, ctx.dir, { port: ctx.port, env: ctx.env });
    }
    assert.ok(acked.users.size > 0 && acked.metadata.size > 0 && acked.codes.length > 0 && acked.refresh.length > 0,
      `load happened: ${acked.users.size} users, ${acked.codes.length} codes, ${acked.refresh.length} refresh`);

    const tok = await adminToken(ctx);
    for (const [email, userId] of acked.users) {
      const r = await api('GET', `/api/v2/users/${encodeURIComponent(userId)}`, tok);
      assert.equal(r.status, 200, `acknowledged user ${email} lost`);
      assert.equal(r.json.email, email);
    }
    const alice = await api('GET', `/api/v2/users/${encodeURIComponent(ctx.alice.user_id)}`, tok);
    for (const [key, value] of acked.metadata) {
      // A later update may have landed without its answer reaching us; never an older one.
      assert.ok(alice.json.user_metadata[key] >= value, `${key}: ${alice.json.user_metadata[key]} < acknowledged ${value}`);
    }
    for (const { agent, state } of acked.states) {
      const r = await agent.post('/continue', { state });
      assert.ok(!/[?&]code=/.test(r.headers.location ?? ''), 'a consumed state worked again');
    }
    for (const code of acked.codes) {
      const r = await exchange(ctx, ctx.clientA, code);
      assert.equal(r.status, 400, 'a redeemed code worked again');
    }
    for (const rt of acked.refresh) {
      const r = await token(ctx.port, { grant_type: 'refresh_token', refresh_token: rt,
        client_id: ctx.clientA.client_id, client_secret: ctx.clientA.client_secret });
      assert.equal(r.status, 400, 'a rotated-out refresh token worked again');
    }
    await ctx.server.stop();
    const check = execFileSync('sqlite3', [...SQLITE_WAIT, path.join(ctx.dir, 'gatehouse.db'), 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
    assert.equal(check, 'ok');
    console.log(`crash: ${KILLS} kills; acknowledged ${acked.users.size} users, ${acked.metadata.size} metadata keys, `
      + `${acked.states.length} states, ${acked.codes.length} codes, ${acked.refresh.length} rotated refresh tokens`);
  });
});
