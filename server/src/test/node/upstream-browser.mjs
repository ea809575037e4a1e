// The whole upstream login in Debian's Chromium (playwright-core, no browser download): Latchkey's login
// page, its button for the upstream connection, node-oidc-provider's login and consent pages, and back through
// /login/callback (a GET, or Apple's form post and Latchkey's page posting it again) to the app's callback.
// Screenshots go to $SCREENSHOTS (the login page as $BUTTONS_SCREENSHOT, default upstream-login-buttons.png). With AUTO_APPROVE=1 the provider approves
// at once (a GitHub-shaped fake) and has no pages of its own. Prints {"callback": <the app's callback URL>}.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { env } from './peer-support.mjs';
const screenshots = env('SCREENSHOTS');
mkdirSync(screenshots, { recursive: true });
const appCallback = env('APP_CALLBACK');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.setDefaultTimeout(30000);
  await page.route(`${appCallback}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'app' }));
  // The request itself is what counts: a redirect that answers a form post (Apple's form_post) reaches the app
  // without passing through the route above.
  const reachedApp = page.waitForRequest((request) => request.url().startsWith(appCallback), { timeout: 60000 });
  await page.goto(env('AUTHORIZE_URL'));
  await page.waitForURL(/\/u\/login\?/);
  await page.screenshot({ path: join(screenshots, process.env.BUTTONS_SCREENSHOT || 'upstream-login-buttons.png'),
    fullPage: true });
  await page.getByRole('link', { name: `Continue with ${env('BUTTON')}` }).click();

  if (process.env.AUTO_APPROVE !== '1') {
    await page.waitForURL(/\/interaction\//);
    await page.screenshot({ path: join(screenshots, 'upstream-provider-login.png') });
    await page.fill('input[name=login]', env('LOGIN'));
    await page.fill('input[name=password]', 'anything');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/interaction\//);
    await page.click('button[type=submit]');
  }

  console.log(JSON.stringify({ callback: (await reachedApp).url() }));
} finally {
  await browser.close();
}
