// Device authorization (RFC 8628) with openid-client: initiateDeviceAuthorization, then
// pollDeviceAuthorizationGrant while Debian's Chromium (playwright-core) enters the code at /activate
// from verification_uri_complete, logs in and confirms on the consent page. So that the run takes
// seconds, not the 5 s interval per poll, the client polls every half second and each poll first moves
// the server's clock 5 s on: the server sees polls exactly one interval apart. Screenshots of the pages
// go to $SCREENSHOTS. Prints one JSON line; exits 1 on failure.
import * as client from 'openid-client';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { advanceServerClock, check, env } from './peer-support.mjs';

const screenshots = env('SCREENSHOTS');
mkdirSync(screenshots, { recursive: true });
const config = await client.discovery(new URL(env('ISSUER')), env('CLIENT_ID'), undefined, client.None(),
  { execute: [client.allowInsecureRequests] });
check(config.serverMetadata().device_authorization_endpoint === `${env('ISSUER')}oauth/device/code`,
  'discovery has no device_authorization_endpoint', config.serverMetadata());
const polls = { count: 0 };
config[client.customFetch] = async (url, options) => {
  if (String(url).endsWith('/oauth/token')) {
    polls.count += 1;
    await advanceServerClock(5);
  }
  return fetch(url, options);
};

const device = await client.initiateDeviceAuthorization(config, {
  scope: 'openid email offline_access read:peer', audience: env('AUDIENCE'),
});
const polling = client.pollDeviceAuthorizationGrant(config, { ...device, interval: 0.5 });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let confirmed;
let page;
try {
  page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  page.setDefaultTimeout(30000);
  await page.goto(device.verification_uri_complete);
  check(await page.getByLabel('Code').inputValue() === device.user_code, 'the code was not pre-filled');
  await page.screenshot({ path: join(screenshots, 'activate.png') });
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/u\/login\?/);
  await page.getByLabel('Email address').fill(env('EMAIL'));
  await page.getByLabel('Password').fill(env('PASSWORD'));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/u\/consent\?/);
  const consent = await page.textContent('body');
  check(consent.includes(env('CLIENT_NAME')) && consent.includes('read:peer'), 'consent page without app or scope',
    consent);
  await page.screenshot({ path: join(screenshots, 'device-consent.png') });
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByText('Device connected').waitFor();
  await page.screenshot({ path: join(screenshots, 'device-done.png') });
  confirmed = true;
} catch (error) {
  console.error(`on ${page?.url()}: ${await page?.textContent('body')}`);
  throw error;
} finally {
  await browser.close();
}

try {
  const tokens = await polling;
  check(tokens.refresh_token, 'no refresh token for offline_access', tokens);
  const claims = tokens.claims();
  check(claims?.email === env('EMAIL'), 'ID token of another user', claims);
  check(tokens.access_token.split('.').length === 3, 'no JWT access token for the API', tokens);
  // The device code is single use (RFC 8628 §3.5 / RFC 6749 §5.2).
  let refusal;
  try {
    await client.pollDeviceAuthorizationGrant(config, { ...device, interval: 0.1 });
  } catch (error) {
    refusal = error;
  }
  check(refusal instanceof client.ResponseBodyError && refusal.error === 'invalid_grant',
    'a used device code was not refused with invalid_grant', String(refusal));
  console.log(JSON.stringify({ flow: 'device', ok: true, confirmed, polls: polls.count, sub: claims.sub,
    userCode: device.user_code, refusal: refusal.error }));
} catch (error) {
  console.error(error);
  if (error.cause) console.error('cause:', error.cause);
  process.exit(1);
}
