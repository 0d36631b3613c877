// Helpers for the multi-node tests: N `gatehouse serve` processes on one
// PostgreSQL (GATEHOUSE_TEST_POSTGRES_URL, from scripts/with-postgres), and a
// cookie-jar HTTP client that drives the login flow against any node.
//
// The nodes stand behind an imaginary load balancer: all are configured with
// the same server.domain (the balancer's address) and every request carries
// that Host header, whichever node's port it is sent to.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort, run, serve, tempDir } from './harness.mjs';

export const PG_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? '';
export const PG_CTL = process.env.GATEHOUSE_TEST_PG_CTL ?? '';
export const SKIP = PG_URL ? false : 'GATEHOUSE_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)';
export const PASSWORD = 'correct horse battery staple';
export const EXTERNAL = 'http://127.0.0.1:9/external';

// Redirects once for the client named "redirecting"; marks the resumed pass.
const RULE = `function multiNode(user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.org/resumed'] = true;
  } else if (context.clientName === 'redirecting' && context.protocol !== 'oauth2-refresh-token') {
    context.redirect = { url: '${EXTERNAL}' };
  }
  callback(null, user, context);
}`;

function cli(args, env) {
  const r = run(args, env);
  assert.equal(r.status, 0, `gatehouse ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// Migrates the database, initialises one data directory per node (the same
// gatehouse.toml), creates a client and a user, starts the nodes.
export async function startCluster(t, { nodes = 2 } = {}) {
  const domain = `127.0.0.1:${await freePort()}`;
  const env = {
    GATEHOUSE_STORAGE_URL: PG_URL, GATEHOUSE_ACCESS_LOG: 'false', GATEHOUSE_LOG_LEVEL: 'warn',
    GATEHOUSE_ARGON2_MEMORY_KIB: '1024', GATEHOUSE_ARGON2_ITERATIONS: '1',
    GATEHOUSE_LOGIN_PER_IP_PER_MINUTE: '0', GATEHOUSE_TOKEN_PER_IP_PER_MINUTE: '0',
    GATEHOUSE_LOGIN_PER_USER_PER_MINUTE: '0', GATEHOUSE_TOKEN_PER_USER_PER_MINUTE: '0',
  };
  const dirs = Array.from({ length: nodes }, () => tempDir(t));
  cli(['migrate', '--data-dir', dirs[0]], env);
  cli(['init', '--data-dir', dirs[0], '--domain', domain, '--json'], env);
  const rulesDir = path.join(dirs[0], 'rules');
  mkdirSync(rulesDir);
  writeFileSync(path.join(rulesDir, '10-multi-node.js'), RULE);
  for (const dir of dirs.slice(1)) copyFileSync(path.join(dirs[0], 'gatehouse.toml'), path.join(dir, 'gatehouse.toml'));
  const redirectUri = 'http://127.0.0.1:9/callback';
  const clients = {};
  for (const name of ['redirecting', 'plain']) {
    clients[name] = JSON.parse(cli(['clients', 'create', '--data-dir', dirs[0], '--name', name,
      '--type', 'regular_web', '--callback', redirectUri, '--grant', 'authorization_code',
      '--grant', 'refresh_token', '--json'], env));
  }
  cli(['users', 'create', '--data-dir', dirs[0], '--email', 'alice@example.com', '--password', PASSWORD, '--json'], env);
  const servers = [];
  for (const dir of dirs) {
    servers.push(await serve(t, dir, { env: { ...env, GATEHOUSE_RULES_DIR: rulesDir } }));
  }
  return { domain, env, dirs, clients, redirectUri, servers, ports: servers.map((s) => s.port) };
}

// One user agent: a cookie jar plus requests to any node with the shared Host.
export class Agent {
  constructor(cluster) {
    this.c = cluster;
    this.jar = new Map();
  }

  request(port, method, pathname, { headers = {}, body } = {}) {
    const cookie = [...this.jar].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');
    return new Promise((resolve, reject) => {
      const r = http.request({ host: '127.0.0.1', port, path: pathname, method, agent: false,
        headers: { host: this.c.domain, ...(cookie ? { cookie } : {}), ...headers } }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { data += chunk; });
        res.on('end', () => {
          for (const c of res.headers['set-cookie'] ?? []) {
            const [pair] = c.split(';');
            const eq = pair.indexOf('=');
            this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
          }
          resolve({ status: res.statusCode, headers: res.headers, body: data });
        });
      });
      r.on('error', reject);
      r.setTimeout(15_000, () => r.destroy(new Error('request timed out')));
      if (body !== undefined) r.write(body);
      r.end();
    });
  }

  // GET /authorize on `port` and, without an SSO session, the login page and
  // its POST there too, as the client "redirecting" (the rule redirects) or
  // "plain". Returns { location, verifier, client, status }: the rule's URL
  // (with ?state=) or the callback with ?code=.
  async authorize(port, { redirect = true, scope = 'openid' } = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const client = this.c.clients[redirect ? 'redirecting' : 'plain'];
    const q = new URLSearchParams({ client_id: client.client_id, response_type: 'code',
      redirect_uri: this.c.redirectUri, scope, state: 'st', nonce: 'nn',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256' });
    let res = await this.request(port, 'GET', `/authorize?${q}`);
    let location = res.headers.location ?? '';
    if (location.startsWith('/u/login')) {
      res = await this.request(port, 'GET', location);
      const field = (name) => res.body.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
      const body = new URLSearchParams({ tx: field('tx'), csrf: field('csrf'), username: 'alice@example.com', password: PASSWORD });
      res = await this.request(port, 'POST', '/u/login', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
      location = res.headers.location ?? '';
    }
    return { status: res.status, location, verifier, client, body: res.status >= 400 ? res.body : undefined };
  }

  // GET /continue?state= on `port`. Returns the response.
  resume(port, location) {
    const state = new URL(location).searchParams.get('state');
    assert.ok(state, `no state in ${location}`);
    return this.request(port, 'GET', `/continue?state=${encodeURIComponent(state)}`);
  }
}

export function codeOf(cluster, location) {
  if (!location?.startsWith(cluster.redirectUri)) return null;
  return new URL(location).searchParams.get('code');
}

// POST /oauth/token on `port` as `client` (client_secret_basic). Returns { status, json }.
export async function token(cluster, port, params, client) {
  const { client_id: id, client_secret: secret } = client;
  const agent = new Agent(cluster);
  const res = await agent.request(port, 'POST', '/oauth/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` },
    body: new URLSearchParams(params).toString() });
  let json = null;
  try { json = JSON.parse(res.body); } catch { /* not JSON */ }
  return { status: res.status, json, headers: res.headers };
}

// Redeems the code of `start` (what authorize() returned) at `port`.
export function redeem(cluster, port, code, start) {
  return token(cluster, port, { grant_type: 'authorization_code', code, redirect_uri: cluster.redirectUri,
    code_verifier: start.verifier }, start.client);
}

export function idClaims(idToken) {
  return JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'));
}
