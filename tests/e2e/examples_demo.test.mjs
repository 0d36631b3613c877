// `gatehouse demo` (SPEC §7): one process serving Gatehouse, the sample
// application and both example sites; Chromium walks the demo user through
// the forced password change, the terms and the profile, ending on the sample
// application's page of ID token claims. A restart serves the same tenant.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { BIN, tempDir } from './harness.mjs';
import { screenshot } from './examples_support.mjs';

// Four consecutive free loopback ports.
async function freeRun() {
  const bindable = (port) => new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  for (let i = 0; i < 50; i++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    let ok = true;
    for (let p = base; p < base + 4 && ok; p++) ok = await bindable(p);
    if (ok) return base;
  }
  throw new Error('no four free ports in a row');
}

function startDemo(t, dir, port) {
  const proc = spawn(BIN, ['demo', '--data-dir', dir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr += c; });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  t.after(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  const ready = new Promise((resolve, reject) => {
    proc.stdout.on('data', (c) => {
      stdout += c;
      if (stdout.includes('Ctrl-C stops everything')) resolve();
    });
    proc.on('exit', () => reject(new Error(`demo exited: ${stderr}`)));
  });
  return { proc, exited, ready, stdout: () => stdout };
}

describe('gatehouse demo', () => {
  const cleanups = [];
  const t = { after: (fn) => cleanups.push(fn) };
  let dir;
  let port;
  let browser;
  after(async () => { for (const fn of cleanups.reverse()) await fn(); });
  before(async () => {
    dir = tempDir(t);
    port = await freeRun();
    browser = await launchBrowser(t);
  });

  test('the demo user goes through every example and sees the ID token claims', async () => {
    const demo = startDemo(t, dir, port);
    await demo.ready;
    const app = `http://127.0.0.1:${port + 1}`;
    assert.ok(demo.stdout().includes(`${app}/`), demo.stdout());
    const password = /log in as\s+demo@example\.com \/ (.+?) \(/.exec(demo.stdout())[1];

    const page = await browser.newPage();
    await page.goto(`${app}/`);
    await screenshot(page, 'sample-app-start');
    await page.getByRole('link', { name: 'Log in', exact: true }).click();
    await page.waitForURL((u) => u.href.startsWith(`http://127.0.0.1:${port}/u/login`));
    await page.getByLabel(/email/i).fill('demo@example.com');
    await page.getByLabel(/^password/i).fill(password);
    await page.getByRole('button', { name: /log in|continue/i }).click();

    // 1. Forced password change (the demo user is flagged).
    await page.waitForURL(`http://127.0.0.1:${port + 3}/change-password`);
    await page.getByLabel('New password', { exact: true }).fill('my own demo passphrase');
    await page.getByLabel('Confirm new password').fill('my own demo passphrase');
    await page.getByRole('button', { name: /change password/i }).click();
    await page.waitForURL(`${app}/`);
    await page.getByText('Hello, demo@example.com').waitFor();

    // 2. Terms of service on the next login.
    await page.getByRole('link', { name: 'Log in again' }).click();
    await page.waitForURL((u) => u.href.startsWith(`http://127.0.0.1:${port + 2}/terms`));
    await page.getByRole('button', { name: /i accept/i }).click();
    await page.waitForURL(`${app}/`);

    // 3. Progressive profiling: the names.
    await page.getByRole('link', { name: 'Log in again' }).click();
    await page.waitForURL(`http://127.0.0.1:${port + 2}/profile`);
    await page.getByLabel('First name').fill('Demo');
    await page.getByLabel('Last name').fill('User');
    // From the third login on the birthdate is asked too.
    if (await page.getByLabel(/date of birth/i).count()) await page.getByLabel(/date of birth/i).fill('1990-04-21');
    await page.getByRole('button', { name: /save/i }).click();
    await page.waitForURL(`${app}/`);
    const claims = JSON.parse(await page.locator('pre').textContent());
    assert.equal(claims.email, 'demo@example.com');
    assert.equal(claims.iss, `http://127.0.0.1:${port}/`);
    await screenshot(page, 'sample-app-claims');

    demo.proc.kill('SIGTERM');
    assert.equal(await demo.exited, 0);

    // A restart serves the same tenant: the new password still works, and
    // everything has been asked already.
    const again = startDemo(t, dir, port);
    await again.ready;
    const page2 = await (await browser.newContext()).newPage();
    await page2.goto(`${app}/login`);
    await page2.getByLabel(/email/i).fill('demo@example.com');
    await page2.getByLabel(/^password/i).fill('my own demo passphrase');
    await page2.getByRole('button', { name: /log in|continue/i }).click();
    await page2.waitForURL(`${app}/`);
    await page2.getByText('Hello, demo@example.com').waitFor();
    again.proc.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  });
});
