// SPEC §3.6 force password change end to end: examples/rules/10-* in
// Gatehouse, the password-change app (examples/password-change-app) as its own
// process changing the password through the Management API with its own
// machine-to-machine client, Chromium as the user.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { after, before, describe, test } from 'node:test';
import { freePort } from './harness.mjs';
import {
  atCallback, cli, fillLogin, finishLogin, screenshot, startExample, startLogin, startStack, userByEmail,
} from './examples_support.mjs';

const OLD = 'the old password';
const NEW = 'a brand new passphrase';
const SECRET = crypto.randomBytes(32).toString('base64url');
const ISSUER = 'https://example-corp.test/rules';

describe('force password change with the password-change app', () => {
  let ctx;
  let appUrl;
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    ctx = await startStack(t, { rules: ['10-force-password-change.js'] });
    const m2m = cli(['clients', 'create', '--data-dir', ctx.dir, '--name', 'Password Change App', '--type',
      'non_interactive', '--grant', 'client_credentials', '--management-scope', 'update:users', '--json']);
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}/`;
    await startExample(t, 'password-change-app', {
      TOKEN_ISSUER: ISSUER, TOKEN_AUDIENCE: appUrl, TOKEN_SECRET: SECRET, GATEHOUSE_URL: ctx.base,
      CLIENT_ID: m2m.client_id, CLIENT_SECRET: m2m.client_secret,
    }, port);
    await ctx.settings({ TOKEN_ISSUER: ISSUER, PASSWORD_CHANGE_URL: appUrl, PASSWORD_CHANGE_SECRET: SECRET });
  });

  async function flaggedUser(email) {
    cli(['users', 'create', '--data-dir', ctx.dir, '--email', email, '--password', OLD, '--json']);
    const user = await userByEmail(ctx, email);
    const r = await ctx.mgmt('PATCH', `/api/v2/users/${encodeURIComponent(user.user_id)}`,
      { app_metadata: { force_password_change: true } });
    assert.equal(r.status, 200);
    return user;
  }

  async function logIn(email, password) {
    const page = await (await ctx.browser.newContext()).newPage();
    const checks = await startLogin(ctx, page);
    await fillLogin(page, email, password);
    return { page, checks };
  }

  async function submit(page, password, confirmation) {
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('Confirm new password').fill(confirmation);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /change password/i }).click()]);
  }

  test('the old password fails afterwards, the new one works, and nothing is asked again', async () => {
    const email = 'forced@example.com';
    const user = await flaggedUser(email);
    const { page, checks } = await logIn(email, OLD);
    await page.waitForURL(`${appUrl}change-password`);
    await page.getByText(email).waitFor();
    await screenshot(page, 'password-form');

    await submit(page, NEW, 'something else entirely');
    await page.getByText('The two passwords do not match.').waitFor();
    await screenshot(page, 'password-mismatch');
    await submit(page, 'short', 'short');
    await page.getByText('Use at least 8 characters.').waitFor();
    await submit(page, email, email);
    await page.getByText('cannot be your email address').waitFor();

    await page.getByLabel('New password', { exact: true }).fill(NEW);
    await page.getByLabel('Confirm new password').fill(NEW);
    await Promise.all([page.waitForURL(atCallback(ctx)), page.getByRole('button', { name: /change password/i }).click()]);
    assert.equal((await finishLogin(ctx, page, checks)).sub, user.user_id);
    const after = await userByEmail(ctx, email);
    assert.equal(after.app_metadata.force_password_change, false);

    // The old password is refused at the login page.
    const old = await logIn(email, OLD);
    assert.ok(old.page.url().startsWith(`${ctx.base}/u/login`), old.page.url());
    await old.page.getByRole('alert').waitFor();
    // The new one logs in, straight back to the application.
    const fresh = await logIn(email, NEW);
    await fresh.page.waitForURL(atCallback(ctx));
    assert.equal((await finishLogin(ctx, fresh.page, fresh.checks)).sub, user.user_id);
  });

  test('a passwordChanged token for another user ends in unauthorized at the client', async () => {
    const victim = await flaggedUser('victim@example.com');
    await flaggedUser('attacker@example.com');
    const page = await (await ctx.browser.newContext()).newPage();
    let appEntry;
    page.on('request', (req) => { if (req.url().startsWith(`${appUrl}?`)) appEntry = new URL(req.url()); });
    const checks = await startLogin(ctx, page);
    await fillLogin(page, 'attacker@example.com', OLD);
    await page.waitForURL(`${appUrl}change-password`);
    const state = appEntry.searchParams.get('state');
    // A token the app could have signed, but for someone else.
    const forged = jwt.sign({ passwordChanged: true }, SECRET,
      { subject: victim.user_id, issuer: appUrl, audience: ISSUER, expiresIn: '5m' });
    await page.goto(`${ctx.base}/continue?state=${encodeURIComponent(state)}&token=${forged}`);
    await page.waitForURL(atCallback(ctx));
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('error'), 'unauthorized');
    assert.equal(url.searchParams.get('state'), checks.expectedState);
    assert.equal((await userByEmail(ctx, 'attacker@example.com')).app_metadata.force_password_change, true);
  });

  test('the app refuses a tampered or expired token', async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    const opts = { subject: 'auth0|x', issuer: ISSUER, audience: appUrl };
    let r = await page.goto(`${appUrl}?state=s&token=${jwt.sign({}, SECRET, { ...opts, expiresIn: -120 })}`);
    assert.equal(r.status(), 400);
    await page.getByText(/link has expired/).waitFor();
    r = await page.goto(`${appUrl}?state=s&token=${jwt.sign({}, 'x'.repeat(40), { ...opts, expiresIn: '5m' })}`);
    assert.equal(r.status(), 400);
    await page.getByText(/The link is not valid/).waitFor();
    r = await page.goto(`${appUrl}change-password`);
    assert.equal(r.status(), 400);
  });
});
