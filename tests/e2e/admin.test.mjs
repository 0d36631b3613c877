// Issue 12 end to end: the admin dashboard at /admin in Chromium. An
// administrator signs in through Gatehouse's own /authorize (PKCE, Management
// API audience), creates and reorders rules, fixes a compile error, tries a
// redirecting rule, edits a user's metadata, creates a client and follows a
// real login (redirect + /continue + code exchange) in the logs; a user who is
// not an administrator is refused. With GATEHOUSE_SCREENSHOTS=<dir> set, every
// page is captured into that directory (docs/img/admin in the repository).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, submitLogin } from './browser.mjs';
import { freePort, request, run, serve, tempDir } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const SHOTS = process.env.GATEHOUSE_SCREENSHOTS;

function cli(args) {
  const r = run(args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function listen(t, handler) {
  const port = await freePort();
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  t.after(() => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }));
  return port;
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function shot(page, name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

// The Management API through the signed-in page's own token (what the
// dashboard itself holds), to check what the UI did.
function pageApi(page, method, p, body) {
  return page.evaluate(async ([m, u, b]) => {
    const s = JSON.parse(sessionStorage.getItem('gatehouse.admin.session'));
    const res = await fetch(`/api/v2${u}`, {
      method: m, headers: { Authorization: `Bearer ${s.access_token}`, 'Content-Type': 'application/json' },
      body: b === undefined ? undefined : JSON.stringify(b),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  }, [method, p, body]);
}

async function signIn(page, base, email) {
  await page.goto(`${base}/admin/`);
  await shot(page, '01-sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/u\/login/);
  await submitLogin(page, email, PASSWORD);
}

const REDIRECT_RULE = (ext) => `function journeyRedirect(user, context, callback) {
  if (context.clientName !== 'Journey App') return callback(null, user, context);
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.org/color'] = context.request.body.color;
    return callback(null, user, context);
  }
  context.redirect = { url: 'http://127.0.0.1:${ext}/profile' };
  callback(null, user, context);
}`;

describe('admin dashboard in Chromium', () => {
  const ctx = {};
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    ctx.dir = tempDir(t);
    ctx.port = await freePort();
    ctx.base = `http://127.0.0.1:${ctx.port}`;
    cli(['init', '--data-dir', ctx.dir, '--domain', `127.0.0.1:${ctx.port}`]);
    cli(['users', 'create', '--data-dir', ctx.dir, '--email', 'admin@example.com', '--password', PASSWORD]);
    cli(['users', 'create', '--data-dir', ctx.dir, '--email', 'bob@example.com', '--password', PASSWORD]);
    assert.match(cli(['admins', 'add', '--data-dir', ctx.dir, 'admin@example.com']), /^admin admin@example.com/);
    // The relying party of the journey, and the external page a rule sends the browser to.
    ctx.rp = await listen(t, (req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('callback'); });
    ctx.ext = await listen(t, (req, res) => {
      const state = new URL(req.url, 'http://x').searchParams.get('state') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><form method="post" action="${escape(ctx.base)}/continue?state=${encodeURIComponent(state)}">
        <input type="hidden" name="color" value="teal"></form><script>document.forms[0].submit()</script>`);
    });
    ctx.server = await serve(t, ctx.dir, { port: ctx.port });
    ctx.browser = await launchBrowser(t);
    ctx.context = await ctx.browser.newContext({ viewport: { width: 1280, height: 860 } });
    ctx.page = await ctx.context.newPage();
  });

  test('/admin is served with a strict CSP and no inline script', async () => {
    const r = await request(ctx.port, '/admin/');
    assert.equal(r.status, 200);
    const csp = r.headers['content-security-policy'];
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(r.body, /<script>|\son\w+="/, 'no inline script or handlers');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    const js = await request(ctx.port, '/admin/app.js');
    assert.equal(js.status, 200);
    assert.match(js.headers['content-type'], /javascript/);
    assert.equal((await request(ctx.port, '/admin')).status, 301);
  });

  test('a user who is not an administrator is refused', async () => {
    const c = await ctx.browser.newContext();
    const page = await c.newPage();
    await signIn(page, ctx.base, 'bob@example.com');
    await page.getByText('not a Gatehouse administrator').waitFor();
    assert.equal(new URL(page.url()).pathname.startsWith('/admin'), false, 'no code reaches the dashboard');
    await shot(page, '02-refused');
    await c.close();
  });

  test('only the admin client may ask for the Management API audience', async () => {
    const q = new URLSearchParams({
      response_type: 'code', client_id: 'gatehouse-admin', redirect_uri: `${ctx.base}/evil/`,
      audience: `${ctx.base}/api/v2/`, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256',
    });
    const r = await request(ctx.port, `/authorize?${q}`);
    assert.equal(r.status, 400, 'an unregistered redirect_uri is refused on our own page');
  });

  test('an administrator signs in and sees the empty rules list', async () => {
    await signIn(ctx.page, ctx.base, 'admin@example.com');
    await ctx.page.waitForURL(/\/admin\/#\/rules$/);
    assert.equal(new URL(ctx.page.url()).search, '', 'the code is removed from the address bar');
    await ctx.page.getByText('No rules yet').waitFor();
    await shot(ctx.page, '03-rules-empty');
    const me = await pageApi(ctx.page, 'GET', '/rules');
    assert.equal(me.status, 200);
  });

  test('create two rules and reorder them', async () => {
    const page = ctx.page;
    for (const [name, script] of [
      ['add-plan', `function addPlan(user, context, callback) {\n  context.idToken['https://example.org/plan'] = 'pro';\n  console.log('plan added');\n  callback(null, user, context);\n}\n`],
      ['journey-redirect', REDIRECT_RULE(ctx.ext)],
    ]) {
      await page.goto(`${ctx.base}/admin/#/rules/new`);
      await page.getByLabel('Name').fill(name);
      await page.getByTestId('rule-script').fill(script);
      await page.getByRole('button', { name: 'Create rule' }).click();
      await page.getByText(`Rule ${name} created.`).waitFor();
    }
    await page.goto(`${ctx.base}/admin/#/rules`);
    await page.getByRole('link', { name: 'journey-redirect' }).waitFor();
    const names = () => page.locator('.rule-row .rule-name').allTextContents();
    assert.deepEqual(await names(), ['add-plan', 'journey-redirect']);
    await page.getByRole('button', { name: 'Move journey-redirect up' }).click();
    await page.getByText('Moved journey-redirect up.').waitFor();
    assert.deepEqual(await names(), ['journey-redirect', 'add-plan']);
    const stored = (await pageApi(page, 'GET', '/rules')).body.sort((a, b) => a.order - b.order).map((r) => r.name);
    assert.deepEqual(stored, ['journey-redirect', 'add-plan']);
    // The enable switch writes through the API too.
    await page.getByLabel('Enable add-plan').uncheck();
    await page.getByText('add-plan is now disabled.').waitFor();
    assert.equal((await pageApi(page, 'GET', '/rules')).body.find((r) => r.name === 'add-plan').enabled, false);
    await shot(page, '04-rules');
    await page.getByLabel('Enable add-plan').check();
    await page.getByText('add-plan is now enabled.').waitFor();
  });

  test('a compile error is shown with its line, then fixed', async () => {
    const page = ctx.page;
    await page.getByRole('link', { name: 'add-plan' }).click();
    const editor = page.getByTestId('rule-script');
    await editor.waitFor();
    const good = await editor.inputValue();
    await editor.fill('function broken(user, context, callback) {\n  const x = ;\n  callback(null, user, context);\n}\n');
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.locator('.compile-error');
    await error.waitFor();
    assert.match(await error.textContent(), /^Line 2: /);
    assert.equal(await page.locator('.gutter .error-line').textContent(), '2');
    await shot(page, '05-rule-compile-error');
    const stored = (await pageApi(page, 'GET', '/rules')).body.find((r) => r.name === 'add-plan');
    assert.equal(stored.script, good, 'the broken script was not stored');
    await editor.fill(good);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved add-plan.').waitFor();
    assert.equal(await page.locator('.compile-error').count(), 0);
  });

  test('try a rule that redirects and see the URL (dry run)', async () => {
    const page = ctx.page;
    await page.goto(`${ctx.base}/admin/#/rules`);
    await page.getByRole('link', { name: 'journey-redirect' }).click();
    await page.getByTestId('rule-script').waitFor();
    await page.getByLabel('Context (JSON)', { exact: true }).fill('{"clientName": "Journey App"}');
    await page.getByRole('button', { name: 'Run dry run' }).click();
    await page.getByTestId('try-outcome').waitFor();
    assert.match(await page.getByTestId('try-outcome').textContent(), /^redirect/);
    assert.equal(await page.getByTestId('try-redirect').textContent(), `http://127.0.0.1:${ctx.ext}/profile`);
    await shot(page, '06-rule-try');
    // The whole pipeline, against a stored user: add-plan's claim and console line.
    await page.goto(`${ctx.base}/admin/#/rules/try`);
    await page.getByLabel('Search a user to try with').fill('bob@');
    await page.getByRole('option', { name: /bob@example.com/ }).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Run dry run' }).click();
    await page.getByTestId('try-outcome').waitFor();
    assert.match(await page.getByTestId('try-outcome').textContent(), /^continue/);
    assert.match(await page.locator('pre.console').textContent(), /\[add-plan\] log: plan added/);
    assert.match(await page.locator('.try-result').textContent(), /https:\/\/example.org\/plan/);
    const logs = (await pageApi(page, 'GET', '/logs?q=type:%22s%22')).body;
    assert.equal(logs.filter((e) => e.user_name === 'bob@example.com').length, 0, 'a dry run is no login');
  });

  test('rule settings: set and delete a key (values never shown)', async () => {
    const page = ctx.page;
    await page.goto(`${ctx.base}/admin/#/settings`);
    await page.getByLabel('Key').fill('API_KEY');
    await page.getByLabel('Value').fill('s3cret-value');
    await page.getByRole('button', { name: 'Save setting' }).click();
    await page.locator('ul.keys').getByText('API_KEY').waitFor();
    assert.equal(await page.getByText('s3cret-value').count(), 0);
    await shot(page, '07-rule-settings');
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Delete setting API_KEY' }).click();
    await page.getByText('No settings').waitFor();
    assert.deepEqual((await pageApi(page, 'GET', '/rules-configs')).body, []);
  });

  test("edit a user's metadata as validated JSON", async () => {
    const page = ctx.page;
    await page.goto(`${ctx.base}/admin/#/users`);
    await page.getByRole('link', { name: 'bob@example.com' }).waitFor();
    await shot(page, '08-users');
    await page.getByLabel('Search users').fill('bob');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'bob@example.com' }).click();
    const um = page.getByTestId('user-metadata');
    await um.waitFor();
    await um.fill('{"color": teal}');
    await page.getByRole('button', { name: 'Save metadata' }).click();
    await page.getByText(/user_metadata is not valid/).waitFor();
    await um.fill('{"color": "teal"}');
    await page.getByRole('button', { name: 'Save metadata' }).click();
    await page.getByText('Metadata saved.').waitFor();
    const users = (await pageApi(page, 'GET', '/users-by-email?email=bob%40example.com')).body;
    assert.deepEqual(users[0].user_metadata, { color: 'teal' });
    await shot(page, '09-user');
  });

  test('create a client: the secret is shown once', async () => {
    const page = ctx.page;
    await page.goto(`${ctx.base}/admin/#/clients`);
    await page.getByLabel('Name').fill('Journey App');
    await page.getByLabel('Allowed callback URLs').fill(`http://127.0.0.1:${ctx.rp}/callback`);
    await page.getByRole('button', { name: 'Create client' }).click();
    const secret = page.getByTestId('client-secret');
    await secret.waitFor();
    ctx.secret = await secret.textContent();
    assert.ok(ctx.secret.length >= 32);
    await shot(page, '10-clients');
    await page.getByRole('link', { name: 'Journey App' }).click();
    await page.getByRole('button', { name: 'Rotate secret' }).waitFor();
    await shot(page, '11-client');
    const clients = (await pageApi(page, 'GET', '/clients')).body;
    ctx.client = clients.find((c) => c.name === 'Journey App');
    assert.deepEqual(ctx.client.callbacks, [`http://127.0.0.1:${ctx.rp}/callback`]);
    assert.equal(JSON.stringify(clients).includes(ctx.secret), false, 'never listed again');
  });

  test("find a login's journey in the logs", async () => {
    // A real login of bob to Journey App in another browser: rules redirect to
    // the external page, which posts back to /continue; the app exchanges the code.
    const c = await ctx.browser.newContext();
    const login = await c.newPage();
    const redirectUri = `http://127.0.0.1:${ctx.rp}/callback`;
    const q = new URLSearchParams({ response_type: 'code', client_id: ctx.client.client_id, redirect_uri: redirectUri, scope: 'openid email', state: 'st' });
    await login.goto(`${ctx.base}/authorize?${q}`);
    await submitLogin(login, 'bob@example.com', PASSWORD);
    await login.waitForURL((u) => u.href.startsWith(redirectUri), { timeout: 20000 });
    const code = new URL(login.url()).searchParams.get('code');
    await c.close();
    const token = await request(ctx.port, '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: ctx.client.client_id, client_secret: ctx.secret }).toString(),
    });
    assert.equal(token.status, 200, token.body);

    const page = ctx.page;
    await page.goto(`${ctx.base}/admin/#/logs`);
    await page.getByLabel('Event').selectOption('s');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/type=s/);
    const row = page.locator('table.logs tbody tr', { hasText: ctx.client.client_id }).first();
    await row.waitFor();
    await shot(page, '12-logs');
    await row.getByRole('link').first().click();
    const journey = page.getByTestId('journey');
    await journey.waitFor();
    const steps = await journey.locator('.step .badge').allTextContents();
    assert.deepEqual(steps, ['Rules ran', 'Rule console output', 'Rule redirected', 'Login resumed', 'Rules ran',
      'Rule console output', 'Successful login', 'Code exchanged for tokens']);
    const text = await journey.textContent();
    assert.match(text, /journey-redirect: \d+\.\d\d ms/);
    assert.match(text, new RegExp(`http://127.0.0.1:${ctx.ext}/profile`));
    await shot(page, '13-login-journey');
  });

  test('revoking admin takes effect on the next API call', async () => {
    cli(['admins', 'remove', '--data-dir', ctx.dir, 'admin@example.com']);
    const r = await pageApi(ctx.page, 'GET', '/rules');
    assert.equal(r.status, 401);
  });
});
