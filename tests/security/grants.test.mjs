// Attack group: PKCE downgrade, authorization code injection across clients,
// refresh tokens crossing clients, and redemption races (exactly one winner).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, assertNoTokens, codeFrom, exchange, login, pkce, setup, suiteScope, token } from './lib.mjs';

describe('grants: PKCE, code injection, refresh binding, races', () => {
  let ctx;
  const scope = suiteScope(after);
  before(async () => { ctx = await setup(scope); });

  async function codeFor(client, extra = {}) {
    return codeFrom(await login(new Agent(ctx.port), client, { extra })).code;
  }

  test('public client without code_challenge: refused at /authorize, no login page, no code', async () => {
    const agent = new Agent(ctx.port);
    const res = await agent.req(`/authorize?${new URLSearchParams({ client_id: ctx.spa.client_id, response_type: 'code',
      scope: 'openid', redirect_uri: ctx.spa.redirect_uri, state: 's' })}`);
    assert.notEqual(res.headers.location?.startsWith('/u/login'), true, 'no login page');
    if (res.status === 302) {
      const u = new URL(res.headers.location);
      assert.equal(u.searchParams.get('error'), 'invalid_request');
      assert.equal(u.searchParams.get('code'), null);
    } else {
      assert.equal(res.status, 400);
    }
  });

  test('code_challenge_method=plain is refused (S256 only)', async () => {
    const res = await new Agent(ctx.port).req(`/authorize?${new URLSearchParams({ client_id: ctx.spa.client_id,
      response_type: 'code', scope: 'openid', redirect_uri: ctx.spa.redirect_uri, state: 's',
      code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })}`);
    assert.notEqual(res.headers.location?.startsWith('/u/login'), true);
    if (res.status === 302) assert.equal(new URL(res.headers.location).searchParams.get('code'), null);
  });

  test('PKCE downgrade at the token endpoint: missing or wrong verifier gets nothing', async () => {
    const p = pkce();
    const code = await codeFor(ctx.clientA, { code_challenge: p.challenge, code_challenge_method: 'S256' });
    for (const extra of [{}, { code_verifier: pkce().verifier }, { code_verifier: p.challenge }, { code_verifier: 'short' }]) {
      const res = await exchange(ctx, ctx.clientA, code, extra);
      assert.equal(res.status, 400, JSON.stringify(extra));
      assert.equal(res.json.error, 'invalid_grant');
      assertNoTokens(res);
    }
  });

  test('a verifier sent for a code issued without a challenge is refused', async () => {
    const code = await codeFor(ctx.clientA);
    const res = await exchange(ctx, ctx.clientA, code, { code_verifier: pkce().verifier });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'invalid_grant');
    assertNoTokens(res);
  });

  test('code injection: A\'s code redeemed by B (either redirect_uri) gets nothing', async () => {
    const code = await codeFor(ctx.clientA);
    for (const redirectUri of [ctx.clientA.redirect_uri, ctx.clientB.redirect_uri]) {
      const res = await exchange(ctx, ctx.clientB, code, { redirect_uri: redirectUri });
      assert.equal(res.status, 400, res.body);
      assert.equal(res.json.error, 'invalid_grant');
      assertNoTokens(res);
    }
  });

  test('a code redeemed with another redirect_uri or wrong secret gets nothing', async () => {
    const code = await codeFor(ctx.clientA);
    const wrongUri = await exchange(ctx, ctx.clientA, code, { redirect_uri: 'https://app.example/a/callback/' });
    assert.equal(wrongUri.status, 400);
    assertNoTokens(wrongUri);
    const wrongSecret = await exchange(ctx, ctx.clientA, code, { client_secret: 'x'.repeat(40) });
    assert.equal(wrongSecret.status, 401, wrongSecret.body);
    assert.equal(wrongSecret.json.error, 'invalid_client');
    assertNoTokens(wrongSecret);
  });

  test('code race: 12 concurrent redemptions, exactly one winner; replay afterwards fails', async () => {
    const code = await codeFor(ctx.clientA);
    const results = await Promise.all(Array.from({ length: 12 }, () => exchange(ctx, ctx.clientA, code)));
    const winners = results.filter((r) => r.status === 200);
    assert.equal(winners.length, 1, results.map((r) => r.status).join(','));
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.json.error, 'invalid_grant');
      assertNoTokens(r);
    }
    const replay = await exchange(ctx, ctx.clientA, code);
    assert.equal(replay.status, 400);
    assertNoTokens(replay);
  });

  async function refreshToken(client) {
    const code = await codeFor(client);
    const res = await exchange(ctx, client, code);
    assert.equal(res.status, 200, res.body);
    assert.ok(res.json.refresh_token);
    return res.json.refresh_token;
  }
  const refresh = (client, rt) => token(ctx.port, { grant_type: 'refresh_token', refresh_token: rt,
    client_id: client.client_id, client_secret: client.client_secret });

  test('A\'s refresh token used by B gets nothing, and still works for A', async () => {
    const rt = await refreshToken(ctx.clientA);
    const stolen = await refresh(ctx.clientB, rt);
    assert.equal(stolen.status, 400, stolen.body);
    assert.equal(stolen.json.error, 'invalid_grant');
    assertNoTokens(stolen);
    const own = await refresh(ctx.clientA, rt);
    assert.equal(own.status, 200, own.body);
  });

  test('refresh race: 12 concurrent rotations of one token, exactly one winner', async () => {
    const rt = await refreshToken(ctx.clientA);
    const results = await Promise.all(Array.from({ length: 12 }, () => refresh(ctx.clientA, rt)));
    const winners = results.filter((r) => r.status === 200);
    assert.equal(winners.length, 1, results.map((r) => r.status).join(','));
    for (const r of results.filter((x) => x.status !== 200)) assertNoTokens(r);
    // The rotated-out token never works again.
    const again = await refresh(ctx.clientA, rt);
    assert.equal(again.status, 400);
    assertNoTokens(again);
  });

  test('password grant with a wrong password or unknown user issues nothing', async () => {
    for (const [username, password] of [['alice@example.com', 'wrong password!'], ['nobody@example.com', 'whatever12']]) {
      const res = await token(ctx.port, { grant_type: 'password', username, password,
        client_id: ctx.clientA.client_id, client_secret: ctx.clientA.client_secret });
      assert.ok(res.status === 400 || res.status === 403, res.body);  // RFC 6749 400; Auth0 403
      assert.equal(res.json.error, 'invalid_grant');
      assertNoTokens(res);
    }
  });
});
