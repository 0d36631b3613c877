// The terms-of-service rule (examples/rules/20-*) with the consent page of the
// update-profile website: declined -> unauthorized at the client; accepted ->
// recorded once in app_metadata and not asked again.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  atCallback, cli, fillLogin, finishLogin, screenshot, startExample, startLogin, startStack, userByEmail,
} from './examples_support.mjs';

const PASSWORD = 'correct horse battery staple';

describe('terms of service', () => {
  let ctx;
  let site;
  const cleanups = [];
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    const t = { after: (fn) => cleanups.push(fn) };
    ctx = await startStack(t, { rules: ['20-terms-of-service.js'] });
    site = await startExample(t, 'update-profile-website', {
      TOKEN_ISSUER: 'https://example-corp.test', TOKEN_AUDIENCE: 'update-profile-website',
      TOKEN_SECRET: crypto.randomBytes(32).toString('base64url'), GATEHOUSE_URL: ctx.base,
    });
    await ctx.settings({ TERMS_URL: `${site.url}/terms`, TERMS_VERSION: '2026-01' });
    cli(['users', 'create', '--data-dir', ctx.dir, '--email', 'terms@example.com', '--password', PASSWORD, '--json']);
  });

  async function logIn() {
    const page = await (await ctx.browser.newContext()).newPage();
    const checks = await startLogin(ctx, page);
    await fillLogin(page, 'terms@example.com', PASSWORD);
    return { page, checks };
  }

  async function decide(page, button) {
    await page.waitForURL((u) => u.href.startsWith(`${site.url}/terms`));
    await Promise.all([page.waitForURL(atCallback(ctx)), page.getByRole('button', { name: button }).click()]);
  }

  test('declined -> unauthorized; accepted -> recorded once, not asked again', async () => {
    const first = await logIn();
    await first.page.waitForURL((u) => u.href.startsWith(`${site.url}/terms`));
    await first.page.getByText('version 2026-01').waitFor();
    await screenshot(first.page, 'terms');
    await decide(first.page, /decline/i);
    const url = new URL(first.page.url());
    assert.equal(url.searchParams.get('error'), 'unauthorized');
    assert.match(url.searchParams.get('error_description'), /accept the terms/);
    assert.equal((await userByEmail(ctx, 'terms@example.com')).app_metadata.terms, undefined);

    const second = await logIn();
    await decide(second.page, /i accept/i);
    await finishLogin(ctx, second.page, second.checks);
    const recorded = (await userByEmail(ctx, 'terms@example.com')).app_metadata.terms;
    assert.equal(recorded.version, '2026-01');
    assert.ok(!Number.isNaN(Date.parse(recorded.accepted_at)));

    const third = await logIn();
    await third.page.waitForURL(atCallback(ctx));
    await finishLogin(ctx, third.page, third.checks);
    assert.deepEqual((await userByEmail(ctx, 'terms@example.com')).app_metadata.terms, recorded);
  });
});
