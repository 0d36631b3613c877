// Shared helpers for the attack suite: a data directory with two clients, two
// users and the admin M2M client; a running server; a cookie-jar "browser"
// speaking raw HTTP so each test controls every header, cookie and field.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, request, run, serve, tempDir } from '../e2e/harness.mjs';

export { freePort, request, run, serve, tempDir };
export const PASSWORD = 'correct horse battery staple';

export function cli(args) {
  const r = run(args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Adapts node:test's describe-level before/after to the harness's t.after().
export function suiteScope(after) {
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  return { after: (fn) => cleanups.push(fn) };
}

// init + two confidential clients (A, B) + a public SPA + alice and bob, then serve.
// opts: { rules: {name: source}, env: {...}, customDomains: (port) => [...], limitsOff: true }
export async function setup(t, opts = {}) {
  const ctx = {};
  ctx.dir = tempDir(t);
  ctx.port = await freePort();
  ctx.host = `127.0.0.1:${ctx.port}`;
  ctx.issuer = `http://${ctx.host}/`;
  const init = cli(['init', '--data-dir', ctx.dir, '--domain', ctx.host, '--json']);
  ctx.admin = init.admin_client;
  // Not loopback: RFC 8252 lets loopback callbacks use any port, which would
  // make the other-port near miss legitimate.
  ctx.rp = 'https://app.example';
  const mk = (name, cb, extra = []) => cli(['clients', 'create', '--data-dir', ctx.dir, '--name', name,
    '--callback', cb, '--logout-url', `${ctx.rp}/bye`, ...extra, '--json']);
  const grants = ['--grant', 'authorization_code', '--grant', 'refresh_token', '--grant', 'password'];
  ctx.clientA = mk('App A', `${ctx.rp}/a/callback`, ['--type', 'regular_web', ...grants]);
  ctx.clientB = mk('App B', `${ctx.rp}/b/callback`, ['--type', 'regular_web', ...grants]);
  ctx.spa = mk('SPA', `${ctx.rp}/spa/callback`, ['--type', 'spa', '--grant', 'authorization_code', '--grant', 'refresh_token']);
  ctx.clientA.redirect_uri = `${ctx.rp}/a/callback`;
  ctx.clientB.redirect_uri = `${ctx.rp}/b/callback`;
  ctx.spa.redirect_uri = `${ctx.rp}/spa/callback`;
  ctx.alice = cli(['users', 'create', '--data-dir', ctx.dir, '--email', 'alice@example.com', '--password', PASSWORD, '--json']);
  ctx.bob = cli(['users', 'create', '--data-dir', ctx.dir, '--email', 'bob@example.com', '--password', PASSWORD, '--json']);
  const env = { GATEHOUSE_ACCESS_LOG: 'false', ...(opts.env ?? {}) };
  if (opts.limitsOff !== false) {
    Object.assign(env, {
      GATEHOUSE_LOGIN_PER_IP_PER_MINUTE: '0', GATEHOUSE_LOGIN_PER_USER_PER_MINUTE: '0',
      GATEHOUSE_TOKEN_PER_IP_PER_MINUTE: '0', GATEHOUSE_TOKEN_PER_USER_PER_MINUTE: '0', ...(opts.env ?? {}),
    });
  }
  // customDomains: (port) => ['host:port', ...] (the port is only known here).
  if (opts.customDomains) env.GATEHOUSE_CUSTOM_DOMAINS = opts.customDomains(ctx.port).join(',');
  if (opts.rules) {
    const rulesDir = path.join(ctx.dir, 'rules');
    fs.mkdirSync(rulesDir);
    for (const [name, src] of Object.entries(opts.rules)) fs.writeFileSync(path.join(rulesDir, `${name}.js`), src);
    env.GATEHOUSE_RULES_DIR = rulesDir;
  }
  ctx.env = env;
  ctx.server = await serve(t, ctx.dir, { port: ctx.port, env });
  return ctx;
}

export function form(params) {
  return new URLSearchParams(params).toString();
}

export function pkce() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

// A browser without JavaScript: a cookie jar per Host, manual redirects.
export class Agent {
  constructor(port, host) { this.port = port; this.host = host ?? `127.0.0.1:${port}`; this.jar = new Map(); }

  cookieHeader() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }

  async req(pathname, { method = 'GET', headers = {}, body, host } = {}) {
    const h = { host: host ?? this.host, ...headers };
    const cookie = this.cookieHeader();
    if (cookie) h.cookie = cookie;
    if (body !== undefined && !h['content-type']) h['content-type'] = 'application/x-www-form-urlencoded';
    const res = await request(this.port, pathname, { method, headers: h, body });
    for (const sc of [].concat(res.headers['set-cookie'] ?? [])) {
      const [pair, ...attrs] = sc.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  post(pathname, params, opts = {}) {
    return this.req(pathname, { ...opts, method: 'POST', body: typeof params === 'string' ? params : form(params) });
  }
}

export function hidden(html, name) {
  const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  return m ? m[1].replace(/&#x2F;/g, '/').replace(/&amp;/g, '&') : undefined;
}

export function authorizeUrl(client, extra = {}) {
  return `/authorize?${form({ client_id: client.client_id, response_type: 'code', scope: 'openid profile email offline_access',
    redirect_uri: client.redirect_uri, state: 'st-' + crypto.randomBytes(6).toString('hex'), ...extra })}`;
}

// Starts a login and returns the login page: { res, tx, csrf }.
export async function openLogin(agent, client, extra = {}) {
  const res = await agent.req(authorizeUrl(client, extra));
  assert.equal(res.status, 302, `authorize: ${res.status} ${res.body}`);
  const loc = new URL(res.headers.location, 'http://x');
  assert.equal(loc.pathname, '/u/login', res.headers.location);
  const page = await agent.req(loc.pathname + loc.search);
  assert.equal(page.status, 200);
  return { res: page, tx: hidden(page.body, 'tx'), csrf: hidden(page.body, 'csrf') };
}

// Full password login; returns the final response (302 to the callback or to a rule's URL).
export async function login(agent, client, { email = 'alice@example.com', password = PASSWORD, extra = {} } = {}) {
  const { tx, csrf } = await openLogin(agent, client, extra);
  return agent.post('/u/login', { tx, csrf, username: email, password });
}

export function codeFrom(res) {
  assert.equal(res.status, 302, `${res.status} ${res.body}`);
  const u = new URL(res.headers.location);
  return { code: u.searchParams.get('code'), state: u.searchParams.get('state'), url: u };
}

export async function token(port, params) {
  const res = await request(port, '/oauth/token', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(params),
  });
  let json;
  try { json = JSON.parse(res.body); } catch { json = undefined; }
  return { ...res, json };
}

export function exchange(ctx, client, code, extra = {}) {
  return token(ctx.port, { grant_type: 'authorization_code', code, redirect_uri: client.redirect_uri,
    client_id: client.client_id, client_secret: client.client_secret, ...extra });
}

// Logged-in code + tokens for alice through client A (PKCE used). `extra`: more
// /authorize parameters (an API `audience` gets a JWT access token, none an opaque one).
export async function tokensFor(ctx, client = ctx.clientA, extra = {}) {
  const agent = new Agent(ctx.port);
  const p = pkce();
  const { code } = codeFrom(await login(agent, client, { extra: { code_challenge: p.challenge, code_challenge_method: 'S256', ...extra } }));
  const res = await exchange(ctx, client, code, { code_verifier: p.verifier });
  assert.equal(res.status, 200, res.body);
  return res.json;
}

export async function adminToken(ctx, scope) {
  const params = { grant_type: 'client_credentials', client_id: ctx.admin.client_id, client_secret: ctx.admin.client_secret,
    audience: `${ctx.issuer}api/v2/` };
  if (scope) params.scope = scope;
  const res = await token(ctx.port, params);
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

export function b64url(v) {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

// Asserts the OAuth error shape and that no token of any kind came back.
export function assertNoTokens(res) {
  for (const k of ['access_token', 'id_token', 'refresh_token']) assert.equal(res.json?.[k], undefined, `${k} issued`);
  assert.doesNotMatch(res.body, /eyJ[A-Za-z0-9_-]{10,}\./, 'a JWT in the body');
}

// sqlite3 CLI arguments for tests that read or edit the database under a running server: the
// server writes too (its tenant log in the background), so wait for its lock instead of failing.
export const SQLITE_WAIT = ['-cmd', '.timeout 5000'];
