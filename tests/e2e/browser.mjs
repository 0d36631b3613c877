// A real browser for the end-to-end tests: Debian's chromium driven by
// playwright-core (which never downloads a browser of its own).
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Launches headless Chromium; closed automatically after the test.
export async function launchBrowser(t) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  t.after(() => browser.close());
  return browser;
}

// Fills the hosted login page and submits it.
export async function submitLogin(page, email, password) {
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /log in|sign in|continue/i }).click()]);
}
