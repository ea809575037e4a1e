// Logs a user in from a page using @auth0/auth0-spa-js in Debian's Chromium (driven by
// playwright-core, no browser download), through the login and consent pages; the page then calls
// getTokenSilently() (a hidden iframe, or a refresh token). Screenshots of the pages go to
// $SCREENSHOTS. Prints the page's result as JSON.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { env } from './peer-support.mjs';
const screenshots = env('SCREENSHOTS');
mkdirSync(screenshots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
// Playwright gives every launch a fresh, temporary profile (its own --user-data-dir).
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  page.setDefaultTimeout(30000);
  const log = [];
  page.on('console', (message) => log.push(`console ${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`page error: ${error.message}`));
  await page.goto(env('PAGE_URL'));
  // Null-safe: the predicate may run while the browser is still between pages.
  await page.waitForFunction(() => {
    const result = document.getElementById('result');
    return result !== null && result.textContent !== 'loading';
  });
  await page.click('#login');

  await page.waitForURL(/\/u\/login\?/);
  await page.screenshot({ path: join(screenshots, 'login.png') });
  await page.getByLabel('Email address').fill(env('EMAIL'));
  await page.getByLabel('Password').fill(env('PASSWORD'));
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.waitForURL(/\/u\/consent\?/);
  await page.screenshot({ path: join(screenshots, 'consent.png') });
  await page.getByRole('button', { name: 'Accept' }).click();

  await page.waitForFunction(() => {
    const text = document.getElementById('result')?.textContent ?? '';
    return text.startsWith('{') || text.startsWith('error');
  }, null, { timeout: 60000 });
  const text = await page.textContent('#result');
  await page.screenshot({ path: join(screenshots, 'spa-result.png') });
  if (!text.startsWith('{')) {
    console.error(log.join('\n'));
    throw new Error(text);
  }
  console.log(text);
} finally {
  await browser.close();
}
