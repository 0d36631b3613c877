// Shared set-up for the examples_* suites: a Gatehouse with a chosen subset of
// examples/rules, their settings stored through the Management API, the
// example sites started as their own binaries, a relying party that counts
// its callbacks, and Chromium. Screenshots go to $GATEHOUSE_SCREENSHOTS when
// set (docs/img/examples), never otherwise.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as oidc from 'openid-client';
import { launchBrowser } from './browser.mjs';
import { BIN, freePort, request, run, serve, tempDir } from './harness.mjs';

export const RULES_DIR = path.resolve(import.meta.dirname, '../../examples/rules');
// The example binaries sit beside the gatehouse binary's build tree.
export const EXAMPLES_BIN = process.env.GATEHOUSE_EXAMPLES_BIN ??
  path.resolve(path.dirname(BIN), '../../examples');

export function cli(args) {
  const r = run(args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export async function screenshot(page, name) {
  const dir = process.env.GATEHOUSE_SCREENSHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

async function listen(t, handler) {
  const port = await freePort();
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  t.after(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
  return port;
}

// Starts one example binary and waits until it answers.
export async function startExample(t, name, env, port) {
  port ??= await freePort();
  const proc = spawn(path.join(EXAMPLES_BIN, name), [], {
    env: { ...process.env, ...env, LISTEN: `127.0.0.1:${port}` }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr += c; });
  t.after(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`${name} exited early: ${stderr}`);
    try { await request(port, '/healthz-not-there'); break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, url: `http://127.0.0.1:${port}`, logs: () => stderr };
}

// `rules`: file names from examples/rules; `settings(ctx)`: rules-configs.
export async function startStack(t, { rules, settings }) {
  const ctx = {};
  ctx.dir = tempDir(t);
  ctx.port = await freePort();
  ctx.base = `http://127.0.0.1:${ctx.port}`;
  ctx.issuer = `${ctx.base}/`;
  const init = cli(['init', '--data-dir', ctx.dir, '--domain', `127.0.0.1:${ctx.port}`, '--json']);
  ctx.admin = init.admin_client;
  ctx.callbacks = [];
  const rp = await listen(t, (req, res) => {
    ctx.callbacks.push(req.url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Callback</title><p>Back at the application.</p>');
  });
  ctx.redirectUri = `http://127.0.0.1:${rp}/callback`;
  const rulesDir = path.join(ctx.dir, 'rules');
  fs.mkdirSync(rulesDir);
  for (const file of rules) fs.copyFileSync(path.join(RULES_DIR, file), path.join(rulesDir, file));
  ctx.client = cli(['clients', 'create', '--data-dir', ctx.dir, '--name', 'Example App', '--type', 'regular_web',
    '--callback', ctx.redirectUri, '--grant', 'authorization_code', '--json']);
  ctx.server = await serve(t, ctx.dir, { port: ctx.port, env: { GATEHOUSE_RULES_DIR: rulesDir } });
  ctx.mgmt = await managementApi(ctx.base, ctx.admin.client_id, ctx.admin.client_secret);
  ctx.oidc = await oidc.discovery(new URL(ctx.issuer), ctx.client.client_id, ctx.client.client_secret,
    undefined, { execute: [oidc.allowInsecureRequests] });
  ctx.settings = async (values) => {
    for (const [key, value] of Object.entries(values)) {
      const r = await ctx.mgmt('PUT', `/api/v2/rules-configs/${key}`, { value });
      assert.equal(r.status, 200, `rules-configs ${key}: ${JSON.stringify(r.body)}`);
    }
  };
  if (settings) await ctx.settings(settings);
  ctx.browser = await launchBrowser(t);
  return ctx;
}

// A tiny Management API client (fetch + client_credentials), returns
// (method, path, body) => { status, body }.
export async function managementApi(base, clientId, clientSecret) {
  const tokenRes = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId,
      client_secret: clientSecret, audience: `${base}/api/v2/` }),
  });
  assert.equal(tokenRes.status, 200);
  const { access_token: token } = await tokenRes.json();
  return async (method, pathname, body) => {
    const r = await fetch(`${base}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
}

export async function userByEmail(ctx, email) {
  const r = await ctx.mgmt('GET', `/api/v2/users-by-email?email=${encodeURIComponent(email)}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.length, 1);
  return r.body[0];
}

// Opens /authorize for the example client (code + PKCE) and returns the checks
// the code exchange needs.
export async function startLogin(ctx, page) {
  const verifier = oidc.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
  const url = oidc.buildAuthorizationUrl(ctx.oidc, {
    redirect_uri: ctx.redirectUri, scope: 'openid email profile', state: checks.expectedState,
    nonce: checks.expectedNonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  await page.goto(url.href);
  return checks;
}

export const atCallback = (ctx) => (u) => u.href.startsWith(ctx.redirectUri);

// Exchanges the code in the callback URL the page is on; returns the ID token claims.
export async function finishLogin(ctx, page, checks) {
  const tokens = await oidc.authorizationCodeGrant(ctx.oidc, new URL(page.url()), checks);
  return tokens.claims();
}

export async function fillLogin(page, email, password, button = /log in|continue/i) {
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/^password/i).fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button }).click()]);
}
