// SPEC §3.6 progressive profiling end to end: examples/rules/30-* and 31-* in
// Gatehouse, the update-profile website (examples/update-profile-website) as
// its own process, Chromium as the user, the Management API as the witness.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { after, before, describe, test } from 'node:test';
import {
  atCallback, fillLogin, finishLogin, screenshot, startExample, startLogin, startStack, userByEmail,
} from './examples_support.mjs';

const PASSWORD = 'correct horse battery staple';
const SECRET = crypto.randomBytes(32).toString('base64url');
const ISSUER = 'https://example-corp.test';

describe('progressive profiling with the update-profile website', () => {
  let ctx;
  let site;
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    ctx = await startStack(t, { rules: ['30-progressive-profiling.js', '31-progressive-profiling-callback.js'] });
    site = await startExample(t, 'update-profile-website', {
      TOKEN_ISSUER: ISSUER, TOKEN_AUDIENCE: 'update-profile-website', TOKEN_SECRET: SECRET, GATEHOUSE_URL: ctx.base,
    });
    await ctx.settings({
      TOKEN_ISSUER: ISSUER, TOKEN_AUDIENCE: 'update-profile-website', TOKEN_SECRET: SECRET,
      UPDATE_PROFILE_WEBSITE_URL: `${site.url}/`,
    });
  });

  // A fresh browser profile per login, so each one is a password login.
  async function newPage() {
    const context = await ctx.browser.newContext();
    return context.newPage();
  }

  async function signUp(email, shots = false) {
    const page = await newPage();
    const checks = await startLogin(ctx, page);
    await page.getByRole('link', { name: /sign up/i }).click();
    await fillLogin(page, email, PASSWORD, /sign up/i);
    await page.waitForURL(`${site.url}/profile`);
    if (shots) await screenshot(page, 'profile-form');
    return { page, checks };
  }

  async function logIn(email) {
    const page = await newPage();
    const checks = await startLogin(ctx, page);
    await fillLogin(page, email, PASSWORD);
    return { page, checks };
  }

  async function save(page) {
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /save and continue/i }).click()]);
  }

  test('three logins of a new sign-up: names first, nothing second, birthdate third', async () => {
    const email = 'new.user@example.com';
    // Login 1 (the sign-up): names asked, birthdate not yet.
    const first = await signUp(email, true);
    const page = first.page;
    assert.equal(await page.locator('input[name=given_name]').count(), 1);
    assert.equal(await page.locator('input[name=family_name]').count(), 1);
    assert.equal(await page.locator('input[name=birthdate]').count(), 0);
    // An empty submission is re-rendered with messages, then fixed.
    await page.getByLabel('First name').fill('Ada');
    await save(page);
    assert.equal(page.url(), `${site.url}/profile`);
    await page.getByText('Please enter your last name.').waitFor();
    assert.equal(await page.getByLabel('First name').inputValue(), 'Ada');
    await screenshot(page, 'profile-errors');
    await page.getByLabel('Last name').fill('Lovelace');
    await Promise.all([page.waitForURL(atCallback(ctx)), page.getByRole('button', { name: /save/i }).click()]);
    const claims = await finishLogin(ctx, page, first.checks);
    let user = await userByEmail(ctx, email);
    assert.equal(claims.sub, user.user_id);
    assert.deepEqual(user.user_metadata, { given_name: 'Ada', family_name: 'Lovelace' });

    // Login 2: nothing to ask.
    const second = await logIn(email);
    await second.page.waitForURL(atCallback(ctx));
    assert.equal((await finishLogin(ctx, second.page, second.checks)).sub, user.user_id);

    // Login 3: the birthdate, and only it; Feb 30 is not a date.
    const third = await logIn(email);
    await third.page.waitForURL(`${site.url}/profile`);
    assert.equal(await third.page.locator('input[name=given_name]').count(), 0);
    await screenshot(third.page, 'profile-birthdate');
    await third.page.getByLabel(/date of birth/i).fill('2001-02-30');
    await save(third.page);
    await third.page.getByText('Please enter a real date as YYYY-MM-DD.').waitFor();
    await third.page.getByLabel(/date of birth/i).fill('1990-04-21');
    await Promise.all([third.page.waitForURL(atCallback(ctx)), third.page.getByRole('button', { name: /save/i }).click()]);
    await finishLogin(ctx, third.page, third.checks);
    user = await userByEmail(ctx, email);
    assert.deepEqual(user.user_metadata, { given_name: 'Ada', family_name: 'Lovelace', birthdate: '1990-04-21' });
  });

  test('a forged or missing CSRF token is refused, the real one works', async () => {
    const { page, checks } = await signUp('csrf.user@example.com');
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.locator('input[name=csrf]').evaluate((el) => { el.value = 'forged'; });
    await save(page);
    await page.getByText(/not sent by this page/).waitFor();
    await screenshot(page, 'profile-csrf-refused');
    await page.goto(`${site.url}/profile`);
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.locator('input[name=csrf]').evaluate((el) => el.remove());
    await save(page);
    await page.getByText(/not sent by this page/).waitFor();
    assert.equal(ctx.callbacks.filter((u) => u.includes(checks.expectedState)).length, 0);
    await page.goto(`${site.url}/profile`);
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await Promise.all([page.waitForURL(atCallback(ctx)), page.getByRole('button', { name: /save/i }).click()]);
    await finishLogin(ctx, page, checks);
    const user = await userByEmail(ctx, 'csrf.user@example.com');
    assert.deepEqual(user.user_metadata, { given_name: 'Grace', family_name: 'Hopper' });
  });

  test('an expired, tampered or misaddressed token is refused by the website', async () => {
    const page = await newPage();
    const claims = { [`${ISSUER}/claims/required_fields`]: ['given_name'] };
    const opts = { subject: 'auth0|abc', issuer: ISSUER, audience: 'update-profile-website' };
    const good = jwt.sign(claims, SECRET, { ...opts, expiresIn: '5m' });
    const open = (token) => page.goto(`${site.url}/?token=${token}&state=s1`);
    // The good token is accepted (sanity: the refusals below are about the token).
    await open(good);
    assert.equal(page.url(), `${site.url}/profile`);
    await page.context().clearCookies();

    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 300 }, SECRET, opts);
    let r = await open(expired);
    assert.equal(r.status(), 400);
    await page.getByText(/link has expired/).waitFor();
    await screenshot(page, 'profile-link-expired');

    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url'));
    payload.sub = 'auth0|someone-else';
    const tampered = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
    r = await open(tampered);
    assert.equal(r.status(), 400);
    await page.getByText(/The link is not valid/).waitFor();
    for (const bad of [
      jwt.sign(claims, 'another secret of at least thirty-two bytes', { ...opts, expiresIn: '5m' }),
      jwt.sign(claims, SECRET, { ...opts, audience: 'another-site', expiresIn: '5m' }),
      jwt.sign(claims, SECRET, { ...opts, issuer: 'https://evil.test', expiresIn: '5m' }),
      jwt.sign(claims, SECRET, { ...opts, algorithm: 'HS512', expiresIn: '5m' }),
    ]) {
      r = await open(bad);
      assert.equal(r.status(), 400);
    }
    // No session was started by any of them.
    r = await page.goto(`${site.url}/profile`);
    assert.equal(r.status(), 400);
    await page.getByText('No profile update in progress').waitFor();
  });

  test('Back and re-submitting the final form does not resume the login twice', async () => {
    const { page, checks } = await signUp('back.user@example.com');
    let continueUrl;
    page.on('request', (req) => { if (req.url().startsWith(`${ctx.base}/continue`)) continueUrl = req.url(); });
    await page.getByLabel('First name').fill('Alan');
    await page.getByLabel('Last name').fill('Turing');
    await Promise.all([page.waitForURL(atCallback(ctx)), page.getByRole('button', { name: /save/i }).click()]);
    const hits = () => ctx.callbacks.filter((u) => u.includes(checks.expectedState) && u.includes('code=')).length;
    assert.equal(hits(), 1);
    assert.ok(continueUrl);

    // Back: the website's form again (or its cached copy); sending it is refused
    // because the session was cleared when the login resumed.
    await page.goBack();
    if (page.url() === `${site.url}/profile` && await page.getByRole('button', { name: /save/i }).count()) {
      await page.getByLabel('First name').fill('Alan');
      await page.getByLabel('Last name').fill('Turing');
      await save(page);
    }
    await page.getByText('No profile update in progress').waitFor();
    await screenshot(page, 'profile-no-session');

    // Re-posting the final form itself (same browser, same state, from a page
    // of the same site so the browser binding cookie goes along) is refused
    // by Gatehouse: the state is single-use.
    await page.goto(`${ctx.redirectUri}?replay=1`);
    await Promise.all([page.waitForNavigation(), page.evaluate((action) => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = action;
      for (const [n, v] of [['given_name', 'Mallory'], ['family_name', 'Twice']]) {
        const i = document.createElement('input');
        i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i);
      }
      document.body.appendChild(f);
      f.submit();
    }, continueUrl)]);
    assert.ok(!page.url().includes('code='), page.url());
    assert.equal(hits(), 1);
    const user = await userByEmail(ctx, 'back.user@example.com');
    assert.deepEqual(user.user_metadata, { given_name: 'Alan', family_name: 'Turing' });
  });
});
