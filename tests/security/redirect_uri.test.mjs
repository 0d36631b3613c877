// Attack group: redirect_uri near misses, logout returnTo open redirect, and
// the error page never reflecting input unescaped. Each refusal is an HTML
// error page (never a redirect to the attacker's URL) and starts no login.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, authorizeUrl, setup, suiteScope } from './lib.mjs';

describe('redirect_uri and returnTo', () => {
  let ctx;
  const scope = suiteScope(after);
  before(async () => { ctx = await setup(scope); });

  const registered = 'https://app.example/a/callback';
  const nearMisses = [
    ['upper-case host', 'https://APP.example/a/callback'],
    ['upper-case path', 'https://app.example/A/callback'],
    ['scheme downgrade', 'http://app.example/a/callback'],
    ['trailing slash', 'https://app.example/a/callback/'],
    ['extra path', 'https://app.example/a/callback/more'],
    ['dot-dot', 'https://app.example/a/callback/../../evil'],
    ['encoded dot-dot', 'https://app.example/a/callback/%2e%2e/%2e%2e/evil'],
    ['userinfo', 'https://app.example@evil.example/a/callback'],
    ['userinfo reversed', 'https://evil.example@app.example/a/callback'],
    ['backslash', 'https://app.example\\@evil.example/a/callback'],
    ['fragment', 'https://app.example/a/callback#x'],
    ['other port', 'https://app.example:8443/a/callback'],
    ['default port spelled out', 'https://app.example:443/a/callback'],
    ['extra query', 'https://app.example/a/callback?next=https://evil.example'],
    ['javascript', 'javascript:alert(1)//https://app.example/a/callback'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['suffix host', 'https://app.example.evil.example/a/callback'],
    ['prefix host', 'https://evilapp.example/a/callback'],
    ['encoded slash', 'https://app.example%2fa%2fcallback'],
    ['whitespace', ' https://app.example/a/callback'],
    ['CRLF', 'https://app.example/a/callback\r\nLocation: https://evil.example'],
    ['NUL', 'https://app.example/a/callback\u0000'],
    ['other client\'s callback', 'https://app.example/b/callback'],
    ['protocol-relative', '//evil.example/a/callback'],
  ];

  for (const [name, uri] of nearMisses) {
    test(`near miss refused: ${name}`, async () => {
      const agent = new Agent(ctx.port);
      const res = await agent.req(authorizeUrl(ctx.clientA, { redirect_uri: uri }));
      assert.equal(res.status, 400, `${uri}: ${res.status} ${res.headers.location ?? ''}`);
      assert.equal(res.headers.location, undefined, 'never redirected');
      // An HTML page from /authorize, or the HTTP layer's JSON 400 when the
      // query itself is malformed (NUL): either way nothing to follow.
      assert.match(res.headers['content-type'], /^(text\/html|application\/json)/);
      assert.equal(agent.jar.has('gh_tx'), false, 'no login transaction started');
      assert.doesNotMatch(res.body, /<script>alert/);
    });
  }

  test('the exact registered URI is accepted (the control)', async () => {
    const res = await new Agent(ctx.port).req(authorizeUrl(ctx.clientA, { redirect_uri: registered }));
    assert.equal(res.status, 302);
    assert.match(res.headers.location, /^\/u\/login\?tx=/);
  });

  test('error page escapes reflected input (client_id, redirect_uri, state, scope)', async () => {
    const xss = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    for (const extra of [{ client_id: xss }, { redirect_uri: xss }, { response_type: xss }, { scope: xss }, { prompt: xss }]) {
      const agent = new Agent(ctx.port);
      let res = await agent.req(authorizeUrl(ctx.clientA, extra));
      assert.ok(res.status >= 300, JSON.stringify(extra));
      if (res.status === 302 && res.headers.location.startsWith('/u/login')) {
        // Accepted (e.g. unknown scope values are ignored): the login page must not reflect it raw.
        res = await agent.req(res.headers.location);
        assert.equal(res.status, 200);
      }
      assert.doesNotMatch(res.body, /<script>alert\(1\)/, JSON.stringify(extra));
      assert.doesNotMatch(res.body, /<img src=x/, JSON.stringify(extra));
      if (res.status === 200) {
        assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'|script-src 'none'/);
      } else if (res.status === 302) {
        // Errors that go back to the (valid) client are query-encoded, never reflected raw.
        assert.ok(res.headers.location.startsWith(registered + '?'), res.headers.location);
        assert.doesNotMatch(res.headers.location, /[<>"]/);
      } else {
        assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'|script-src 'none'/);
      }
    }
  });

  test('unknown client with an attacker redirect_uri: error page, no redirect', async () => {
    const res = await new Agent(ctx.port).req(authorizeUrl({ client_id: 'nope', redirect_uri: 'https://evil.example/' }));
    assert.equal(res.status, 400);
    assert.equal(res.headers.location, undefined);
  });

  const logout = (q) => new Agent(ctx.port).req(`/v2/logout?${new URLSearchParams(q)}`);

  test('logout returnTo: only the byte-exact registered URL redirects', async () => {
    const ok = await logout({ client_id: ctx.clientA.client_id, returnTo: 'https://app.example/bye' });
    assert.equal(ok.status, 302);
    assert.equal(ok.headers.location, 'https://app.example/bye');
    for (const rt of ['https://evil.example/', 'https://app.example/bye/', 'https://app.example/bye?x=1',
      'https://app.example@evil.example/bye', '//evil.example', 'javascript:alert(1)', 'https://APP.example/bye',
      'https://app.example/bye#', '/\\evil.example']) {
      const res = await logout({ client_id: ctx.clientA.client_id, returnTo: rt });
      assert.equal(res.status, 200, rt);
      assert.equal(res.headers.location, undefined, rt);
      assert.doesNotMatch(res.body, /evil\.example/, rt);
    }
  });

  test('logout returnTo without client_id or with an unknown client never redirects', async () => {
    for (const q of [{ returnTo: 'https://app.example/bye' }, { client_id: 'unknown', returnTo: 'https://app.example/bye' },
      { client_id: ctx.clientB.client_id, returnTo: 'https://evil.example/bye' }]) {
      const res = await logout(q);
      assert.equal(res.status, 200, JSON.stringify(q));
      assert.equal(res.headers.location, undefined);
    }
  });
});
