// Issue 11 (part A) end to end: published-style rules call an external API (a
// Node server started here) with require('request') and require('axios'),
// cache the API's token in `global` across logins, and meet the outbound
// limits: a slow upstream is cut at the pipeline limit, a 100 MB response at
// the size cap, a metadata address is refused. Each failed login ends at the
// client as SPEC §3.5 says for the way the rule handled the error.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { launchBrowser, submitLogin } from './browser.mjs';
import { freePort, run, serve, tempDir } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const HUGE = 100 * 1024 * 1024;

function cli(args) {
  const r = run(args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function listen(t, handler) {
  const port = await freePort();
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return port;
}

// The external API the rules call.
function api(state) {
  return async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let body = '';
    for await (const chunk of req) body += chunk;
    state.seen.push(`${req.method} ${url.pathname}`);
    const json = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
      state.tokens += 1;
      return json(200, { access_token: `tok-${state.tokens}`, token_type: 'Bearer', expires_in: 3600 });
    }
    if (url.pathname === '/api/plan') {
      if (req.headers.authorization !== 'Bearer tok-1') return json(401, { error: 'invalid_token' });
      return json(200, { email: url.searchParams.get('email'), plan: 'gold' });
    }
    if (url.pathname === '/api/audit' && req.method === 'POST') {
      state.audits.push({ type: req.headers['content-type'], body: JSON.parse(body) });
      return json(201, { id: `audit-${state.audits.length}` });
    }
    if (url.pathname === '/slow') return;  // never answers; the client gives up
    if (url.pathname === '/huge') {
      // 100 MB, chunked (no Content-Length), written as fast as the reader
      // takes it; stops when the reader hangs up.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let closed = false;
      const gone = new Promise((r) => res.once('close', () => { closed = true; r(); }));
      while (!closed && state.hugeBytes < HUGE) {
        state.hugeBytes += chunk.length;
        if (!res.write(chunk)) await Promise.race([new Promise((r) => res.once('drain', r)), gone]);
      }
      if (!closed) res.end();
      return;
    }
    json(404, { error: 'not_found' });
  };
}

function rules(base) {
  return {
    // Callback style with `request`, the API token cached in `global`.
    '10-plan.js': `function plan(user, context, callback) {
  const request = require('request');
  const axios = require('axios');
  const BASE = '${base}';
  if (user.email === 'slow@example.com') {
    // Catching the timeout does not help: the pipeline's time is spent.
    return fetch(BASE + '/slow').then(() => callback(null, user, context), () => callback(null, user, context));
  }
  if (user.email === 'huge@example.com') {
    return axios.get(BASE + '/huge').then(() => callback(null, user, context)).catch((err) => callback(err));
  }
  if (user.email === 'meta@example.com') {
    return fetch('http://169.254.169.254/latest/meta-data/iam/security-credentials/')
      .then(() => callback(null, user, context))
      .catch((err) => callback(new UnauthorizedError('cannot reach the profile service: ' + err.message)));
  }
  function getToken(cb) {
    if (global.apiToken) return cb(null, global.apiToken);
    request.post({ url: BASE + '/oauth/token', form: { grant_type: 'client_credentials' }, json: true },
      function (err, response, body) {
        if (err) return cb(err);
        if (response.statusCode !== 200) return cb(new Error('token endpoint said ' + response.statusCode));
        global.apiToken = body.access_token;
        cb(null, global.apiToken);
      });
  }
  getToken(function (err, token) {
    if (err) return callback(err);
    request.get({ url: BASE + '/api/plan', qs: { email: user.email }, auth: { bearer: token }, json: true },
      function (err, response, body) {
        if (err) return callback(err);
        if (response.statusCode !== 200) return callback(new Error('plan lookup failed: ' + response.statusCode));
        context.idToken['https://example.org/plan'] = body.plan;
        callback(null, user, context);
      });
  });
}`,
    // Promise style with `axios`.
    '20-audit.js': `async function audit(user, context, callback) {
  const axios = require('axios');
  const response = await axios.post('${base}/api/audit', {
    user_id: user.user_id, plan: context.idToken['https://example.org/plan'],
  });
  context.idToken['https://example.org/audit'] = response.data.id;
  callback(null, user, context);
}`,
  };
}

describe('rules calling external APIs', () => {
  const ctx = {};
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    ctx.dir = tempDir(t);
    ctx.port = await freePort();
    ctx.issuer = `http://127.0.0.1:${ctx.port}/`;
    run(['init', '--data-dir', ctx.dir, '--domain', `127.0.0.1:${ctx.port}`]);
    const rp = await listen(t, (req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('callback'); });
    ctx.redirectUri = `http://127.0.0.1:${rp}/callback`;
    ctx.api = { seen: [], tokens: 0, audits: [], hugeBytes: 0 };
    const apiPort = await listen(t, api(ctx.api));
    const rulesDir = path.join(ctx.dir, 'rules');
    fs.mkdirSync(rulesDir);
    for (const [name, text] of Object.entries(rules(`http://127.0.0.1:${apiPort}`))) {
      fs.writeFileSync(path.join(rulesDir, name), text);
    }
    ctx.client = cli(['clients', 'create', '--data-dir', ctx.dir, '--name', 'E2E Outbound', '--type', 'regular_web',
      '--callback', ctx.redirectUri, '--grant', 'authorization_code', '--json']);
    for (const who of ['alice', 'slow', 'huge', 'meta']) {
      cli(['users', 'create', '--data-dir', ctx.dir, '--email', `${who}@example.com`, '--password', PASSWORD, '--json']);
    }
    ctx.server = await serve(t, ctx.dir, {
      port: ctx.port,
      env: {
        GATEHOUSE_RULES_DIR: rulesDir,
        // One worker, so `global` (per worker) is the same for every login.
        GATEHOUSE_RULES_THREADS: '1',
        GATEHOUSE_RULES_TIMEOUT_MS: '1500',
        GATEHOUSE_RULES_OUTBOUND_MAX_RESPONSE_BYTES: String(1024 * 1024),
      },
    });
    ctx.config = await oidc.discovery(new URL(ctx.issuer), ctx.client.client_id, ctx.client.client_secret,
      undefined, { execute: [oidc.allowInsecureRequests] });
    ctx.browser = await launchBrowser(t);
  });

  // One login in a fresh browser context; resolves the URL the browser ends
  // on at the client and the checks to redeem a code with.
  async function login(email) {
    const context = await ctx.browser.newContext();
    try {
      const page = await context.newPage();
      const verifier = oidc.randomPKCECodeVerifier();
      const checks = { pkceCodeVerifier: verifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
      const url = oidc.buildAuthorizationUrl(ctx.config, {
        redirect_uri: ctx.redirectUri, scope: 'openid email', state: checks.expectedState, nonce: checks.expectedNonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      await page.goto(url.href);
      await submitLogin(page, email, PASSWORD);
      await page.waitForURL((u) => u.href.startsWith(ctx.redirectUri), { timeout: 20000 });
      return { final: new URL(page.url()), checks };
    } finally {
      await context.close();
    }
  }

  test('request and axios rules put the API answers into the ID token; the token is cached in global', async () => {
    for (let i = 1; i <= 2; i++) {
      const { final, checks } = await login('alice@example.com');
      assert.equal(final.searchParams.get('error'), null, final.href);
      const tokens = await oidc.authorizationCodeGrant(ctx.config, final, checks);
      const claims = tokens.claims();
      assert.equal(claims['https://example.org/plan'], 'gold');
      assert.equal(claims['https://example.org/audit'], `audit-${i}`);
    }
    assert.equal(ctx.api.tokens, 1, 'the second login reused the cached token');
    assert.equal(ctx.api.audits.length, 2);
    assert.equal(ctx.api.audits[0].type, 'application/json');
    assert.equal(ctx.api.audits[0].body.plan, 'gold');
    assert.match(ctx.api.audits[0].body.user_id, /^auth0\|/);
  });

  test('a slow upstream is cut at the pipeline limit: server_error', async () => {
    const { final } = await login('slow@example.com');
    assert.equal(final.searchParams.get('error'), 'server_error', final.href);
    assert.ok(ctx.api.seen.includes('GET /slow'));
  });

  test('a 100 MB response is cut at the cap; the rule passes the error on: access_denied', async () => {
    const { final } = await login('huge@example.com');
    assert.equal(final.searchParams.get('error'), 'access_denied', final.href);
    assert.match(final.searchParams.get('error_description'), /exceeds 1048576 bytes/);
    assert.ok(ctx.api.hugeBytes < HUGE, `the upstream wrote ${ctx.api.hugeBytes} bytes`);
  });

  test('the metadata address is refused; the rule answers UnauthorizedError: unauthorized', async () => {
    const { final } = await login('meta@example.com');
    assert.equal(final.searchParams.get('error'), 'unauthorized', final.href);
    assert.match(final.searchParams.get('error_description'),
      /^cannot reach the profile service: .*169\.254\.169\.254 refused/);
  });
});
