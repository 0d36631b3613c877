// Attack group: the hosted login. User enumeration by message and by timing,
// brute-force block, CSRF on the login and sign-up forms, session fixation,
// cookie flags, and the abuse limits (429 + Retry-After, X-Forwarded-For only
// from trusted proxies).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, PASSWORD, codeFrom, login, openLogin, setup, suiteScope } from './lib.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

describe('hosted login', () => {
  let ctx;
  const scope = suiteScope(after);
  before(async () => { ctx = await setup(scope); });

  async function attempt(email, password, agent = new Agent(ctx.port)) {
    const { tx, csrf } = await openLogin(agent, ctx.clientA);
    const started = process.hrtime.bigint();
    const res = await agent.post('/u/login', { tx, csrf, username: email, password });
    return { res, ms: Number(process.hrtime.bigint() - started) / 1e6, agent };
  }
  const formError = (html) => html.match(/id="form-error">([^<]*)</)?.[1];

  test('enumeration by message: unknown user and wrong password answer identically', async () => {
    const known = await attempt('alice@example.com', 'not the password');
    const unknown = await attempt('nobody-here@example.com', 'not the password');
    assert.equal(known.res.status, 400);
    assert.equal(unknown.res.status, 400);
    assert.equal(formError(known.res.body), formError(unknown.res.body));
    assert.ok(formError(known.res.body));
    assert.equal(known.agent.jar.has('gh_session'), false);
    assert.equal(unknown.agent.jar.has('gh_session'), false);
  });

  test('enumeration by timing: known-user and unknown-user response times overlap', async () => {
    // Interleaved samples so machine noise hits both alike. The medians must
    // be close relative to their own size, or each inside the other
    // distribution's inter-decile range (when both are tight, ranges of a
    // millisecond miss each other by rounding alone). A server that skipped
    // the password hash for unknown users answers those in a fraction of the
    // time and fails both.
    const known = [];
    const unknown = [];
    for (let i = 0; i < 14; i++) {
      // Separate identifiers per round keep the brute-force counter out of it.
      known.push((await attempt('alice@example.com', `wrong-${i}-password`)).ms);
      unknown.push((await attempt(`ghost${i}@example.com`, `wrong-${i}-password`)).ms);
      if (i === 6) {
        // alice's counter would block at 10: clear it with one good login.
        codeFrom(await login(new Agent(ctx.port), ctx.clientA));
      }
    }
    codeFrom(await login(new Agent(ctx.port), ctx.clientA));
    const [mk, mu] = [median(known), median(unknown)];
    const msg = `known ${known.map(Math.round)} unknown ${unknown.map(Math.round)}`;
    const close = Math.abs(mk - mu) <= 0.25 * Math.max(mk, mu);
    const overlap = mk >= quantile(unknown, 0.1) && mk <= quantile(unknown, 0.9) &&
      mu >= quantile(known, 0.1) && mu <= quantile(known, 0.9);
    assert.ok(close || overlap, msg);
  });

  test('brute force: after 10 failures even the right password is refused (429), other users unaffected', async () => {
    for (let i = 0; i < 10; i++) {
      const { res } = await attempt('bob@example.com', `guess-${i}-xxxx`);
      assert.equal(res.status, 400, `attempt ${i}`);
    }
    const blocked = await attempt('bob@example.com', PASSWORD);
    assert.equal(blocked.res.status, 429);
    assert.equal(blocked.agent.jar.has('gh_session'), false, 'no session');
    assert.equal(blocked.res.headers.location, undefined, 'no code');
    // Unknown identifiers block alike (no enumeration through the block).
    for (let i = 0; i < 10; i++) await attempt('ghost-block@example.com', `guess-${i}-xxxx`);
    assert.equal((await attempt('ghost-block@example.com', 'guess-x-xxxx')).res.status, 429);
    // Alice still logs in.
    assert.equal(codeFrom(await login(new Agent(ctx.port), ctx.clientA)).code.length > 10, true);
  });

  test('CSRF on login: missing, foreign or other-transaction tokens are refused, nothing issued', async () => {
    const victim = new Agent(ctx.port);
    const v = await openLogin(victim, ctx.clientA);
    const attacker = new Agent(ctx.port);
    const a = await openLogin(attacker, ctx.clientA);
    const second = await openLogin(victim, ctx.clientB);
    const cases = [
      ['no csrf', victim, { tx: v.tx, username: 'alice@example.com', password: PASSWORD }, 403],
      ['empty csrf', victim, { tx: v.tx, csrf: '', username: 'alice@example.com', password: PASSWORD }, 403],
      ['attacker csrf', victim, { tx: v.tx, csrf: a.csrf, username: 'alice@example.com', password: PASSWORD }, 403],
      ['csrf of another tx', victim, { tx: v.tx, csrf: second.csrf, username: 'alice@example.com', password: PASSWORD }, 403],
      ['attacker posts into the victim tx', attacker, { tx: v.tx, csrf: v.csrf, username: 'alice@example.com', password: PASSWORD }, 400],
    ];
    for (const [name, agent, fields, status] of cases) {
      const res = await agent.post('/u/login', fields);
      assert.equal(res.status, status, `${name}: ${res.status}`);
      assert.equal(res.headers.location, undefined, name);
      assert.equal(agent.jar.has('gh_session'), false, name);
    }
    // Cross-site form post without the gh_tx cookie (SameSite keeps it home).
    const bare = new Agent(ctx.port);
    const res = await bare.post('/u/login', { tx: v.tx, csrf: v.csrf, username: 'alice@example.com', password: PASSWORD });
    assert.equal(res.status, 400);
    assert.equal(bare.jar.has('gh_session'), false);
    // The victim's genuine submission still works: the attacks did not consume it.
    const ok = await victim.post('/u/login', { tx: v.tx, csrf: v.csrf, username: 'alice@example.com', password: PASSWORD });
    assert.equal(ok.status, 302);
  });

  test('CSRF on sign-up: no account is created without the form token', async () => {
    const agent = new Agent(ctx.port);
    const { tx } = await openLogin(agent, ctx.clientA);
    const page = await agent.req(`/u/signup?tx=${tx}`);
    assert.equal(page.status, 200);
    const res = await agent.post('/u/signup', { tx, csrf: 'forged', email: 'csrf-victim@example.com', password: PASSWORD });
    assert.equal(res.status, 403);
    // The e-mail is still free: a genuine sign-up with it succeeds.
    const csrf = page.body.match(/name="csrf" value="([^"]*)"/)[1];
    const real = await agent.post('/u/signup', { tx, csrf, email: 'csrf-victim@example.com', password: PASSWORD });
    assert.equal(real.status, 302, real.body);
  });

  test('session fixation: a planted session id is replaced at login, and each login gets a new one', async () => {
    const agent = new Agent(ctx.port);
    const planted = 'A'.repeat(43);
    agent.jar.set('gh_session', planted);
    codeFrom(await login(agent, ctx.clientA));
    const first = agent.jar.get('gh_session');
    assert.ok(first && first !== planted);
    codeFrom(await login(agent, ctx.clientA, { extra: { prompt: 'login' } }));
    const second = agent.jar.get('gh_session');
    assert.ok(second && second !== first, 'renewed at the second login');
    // The first session no longer gives SSO.
    const other = new Agent(ctx.port);
    other.jar.set('gh_session', first);
    const sso = await other.req(`/authorize?${new URLSearchParams({ client_id: ctx.clientA.client_id, response_type: 'code',
      scope: 'openid', redirect_uri: ctx.clientA.redirect_uri, state: 's' })}`);
    assert.match(sso.headers.location ?? '', /^\/u\/login/);
  });

  test('cookie flags: HttpOnly, SameSite, Path=/ on every cookie (plain HTTP: no Secure)', async () => {
    const agent = new Agent(ctx.port);
    const { tx, csrf } = await openLogin(agent, ctx.clientA);
    const res = await agent.post('/u/login', { tx, csrf, username: 'alice@example.com', password: PASSWORD });
    const start = await new Agent(ctx.port).req(`/authorize?${new URLSearchParams({ client_id: ctx.clientA.client_id,
      response_type: 'code', scope: 'openid', redirect_uri: ctx.clientA.redirect_uri, state: 's' })}`);
    const cookies = [...[].concat(start.headers['set-cookie'] ?? []), ...[].concat(res.headers['set-cookie'] ?? [])];
    assert.ok(cookies.some((c) => c.startsWith('gh_tx=')) && cookies.some((c) => c.startsWith('gh_session=')), cookies.join('\n'));
    for (const c of cookies) {
      assert.match(c, /;\s*HttpOnly/i, c);
      assert.match(c, /;\s*SameSite=(Lax|Strict)/i, c);
      assert.match(c, /;\s*Path=\//i, c);
      assert.doesNotMatch(c, /;\s*Domain=/i, c);
    }
  });

  test('hosted pages: no caching, framing refused', async () => {
    const { res } = await openLogin(new Agent(ctx.port), ctx.clientA);
    assert.match(res.headers['cache-control'] ?? '', /no-store/);
    const framing = `${res.headers['x-frame-options'] ?? ''} ${res.headers['content-security-policy'] ?? ''}`;
    assert.match(framing, /DENY|frame-ancestors 'none'/i);
  });
});

describe('abuse limits and X-Forwarded-For', () => {
  let proxied;   // trusts 127.0.0.1 as a proxy
  let direct;    // trusts nobody
  const scope = suiteScope(after);
  before(async () => {
    const limits = { GATEHOUSE_LOGIN_PER_IP_PER_MINUTE: '3', GATEHOUSE_LOGIN_PER_USER_PER_MINUTE: '4',
      GATEHOUSE_TOKEN_PER_IP_PER_MINUTE: '3', GATEHOUSE_TOKEN_PER_USER_PER_MINUTE: '100' };
    proxied = await setup(scope, { limitsOff: false, env: { ...limits, GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1' } });
    direct = await setup(scope, { limitsOff: false, env: limits });
  });

  async function post(ctx, ip, username = 'alice@example.com') {
    const agent = new Agent(ctx.port);
    const headers = ip ? { 'x-forwarded-for': ip } : {};
    const { tx, csrf } = await openLogin(agent, ctx.clientA);
    return agent.req('/u/login', { method: 'POST', headers, body: new URLSearchParams({ tx, csrf, username, password: 'wrong-password' }).toString() });
  }

  test('login per IP: the 4th post from one client is 429 with Retry-After; another client is served', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await post(proxied, '198.51.100.1', `u${i}@example.com`)).status, 400);
    const refused = await post(proxied, '198.51.100.1', 'u9@example.com');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) >= 1, refused.headers['retry-after']);
    // A browser posted the form: it gets a page (with the CSP), not JSON.
    assert.match(refused.headers['content-type'], /text\/html/);
    assert.match(refused.body, /too_many_requests/);
    assert.ok(refused.headers['content-security-policy']);
    assert.equal((await post(proxied, '198.51.100.2', 'u9@example.com')).status, 400);
  });

  test('login per user: spraying one login name from many addresses is limited', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(proxied, `203.0.113.${10 + i}`, 'Sprayed@Example.com')).status);
    assert.deepEqual(statuses, [400, 400, 400, 400, 429]);
  });

  test('X-Forwarded-For from an untrusted peer is ignored: rotating it does not evade the limit', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(direct, `192.0.2.${i}`, `v${i}@example.com`)).status);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
  });

  test('a spoofed left-most hop behind a trusted proxy does not evade the limit', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(proxied, `10.9.9.${i}, 198.51.100.77`, `w${i}@example.com`)).status);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
  });

  test('token endpoint per IP: 429 with Retry-After, nothing issued', async () => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }).toString();
    const send = () => new Agent(direct.port).req('/oauth/token', { method: 'POST', body });
    for (let i = 0; i < 3; i++) assert.equal((await send()).status, 401);
    const refused = await send();
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.doesNotMatch(refused.body, /access_token/);
  });
});
