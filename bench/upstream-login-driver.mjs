// Load driver of bench/upstream-login.sh (plain Node, no packages): virtual browsers, each with a fresh cookie
// jar per round trip, doing either node-oidc-provider's own login (authorize, its login and consent pages, the
// code exchanged at its token endpoint) or the whole upstream login through Latchkey (/authorize?connection=,
// the same provider pages, /login/callback, the code exchanged at Latchkey's /oauth/token). Windows of each
// mode alternate, provider first and last, so that each upstream window is compared with the provider windows
// beside it. Prints one JSON line per window, then the summary.
import { createHash, randomBytes } from 'node:crypto';

const env = (name, fallback) => process.env[name] ?? fallback;
const latchkey = env('LATCHKEY');           // http://127.0.0.1:PORT/
const provider = env('PROVIDER');           // http://127.0.0.1:PORT (no slash)
const appId = env('APP_ID');
const appSecret = env('APP_SECRET');
const appCallback = env('APP_CALLBACK');
const connection = env('CONNECTION');
const upstreamClient = env('UPSTREAM_CLIENT_ID');
const upstreamSecret = env('UPSTREAM_CLIENT_SECRET');
const vus = Number(env('VUS', '4'));
const seconds = Number(env('LOAD', '10'));
const cycles = Number(env('CYCLES', '2'));
const warmup = Number(env('WARMUP', '5'));
const once = env('ONCE', '') !== '';
const callback = `${latchkey}login/callback`;
const b64url = (bytes) => bytes.toString('base64url');

function pkce() {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

class Browser {
  constructor() { this.jar = new Map(); }
  cookies(url) {
    const host = new URL(url).host;
    const jar = this.jar.get(host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  keep(url, response) {
    const host = new URL(url).host;
    const jar = this.jar.get(host) ?? new Map();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    this.jar.set(host, jar);
  }
  async send(url, form) {
    const headers = { cookie: this.cookies(url) };
    const init = { redirect: 'manual', headers };
    if (form) {
      init.method = 'POST';
      headers['content-type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(form).toString();
    }
    const response = await fetch(url, init);
    this.keep(url, response);
    const location = response.headers.get('location');
    return { status: response.status, url, location: location && new URL(location, url).toString(),
      body: await response.text() };
  }
}

/** From a redirect to the provider's /auth, logs in there and answers the redirect to Latchkey's callback. */
async function atProvider(browser, authUrl, login) {
  let page = await browser.send(authUrl);
  for (let steps = 0; steps < 20; steps++) {
    if (page.status >= 300 && page.status < 400) {
      if (page.location.startsWith(callback)) return page.location;
      page = await browser.send(page.location);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(page.body);
    if (!action) throw new Error(`provider page without a form: ${page.status} ${page.body.slice(0, 200)}`);
    const target = new URL(action[1].replaceAll('&amp;', '&'), page.url).toString();
    page = page.body.includes('name="login"')
      ? await browser.send(target, { prompt: 'login', login, password: 'x' })
      : await browser.send(target, { prompt: 'consent' });
  }
  throw new Error('never came back from the provider');
}

async function providerLogin(n) {
  const browser = new Browser();
  const { verifier, challenge } = pkce();
  const auth = `${provider}/auth?` + new URLSearchParams({ response_type: 'code', client_id: upstreamClient,
    redirect_uri: callback, scope: 'openid email profile', state: b64url(randomBytes(16)),
    nonce: b64url(randomBytes(16)), code_challenge: challenge, code_challenge_method: 'S256' });
  const back = new URL(await atProvider(browser, auth, `user-${n}`));
  const token = await fetch(`${provider}/token`, { method: 'POST', headers: {
    'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code',
    code: back.searchParams.get('code'), redirect_uri: callback, code_verifier: verifier, client_id: upstreamClient,
    client_secret: upstreamSecret }) });
  const body = await token.json();
  if (!body.id_token) throw new Error(`provider token: ${JSON.stringify(body)}`);
  return body;
}

async function upstreamLogin(n) {
  const browser = new Browser();
  const { verifier, challenge } = pkce();
  const started = await browser.send(`${latchkey}authorize?` + new URLSearchParams({ response_type: 'code',
    client_id: appId, redirect_uri: appCallback, scope: 'openid profile email', state: 's',
    code_challenge: challenge, code_challenge_method: 'S256', connection }));
  if (started.status !== 302) throw new Error(`authorize: ${started.status} ${started.body.slice(0, 200)}`);
  let page = await browser.send(await atProvider(browser, started.location, `user-${n}`));
  while (page.status >= 300 && page.status < 400 && !page.location.startsWith(appCallback)) {
    page = await browser.send(page.location);
  }
  if (!page.location?.startsWith(appCallback)) throw new Error(`callback: ${page.status} ${page.body.slice(0, 200)}`);
  const code = new URL(page.location).searchParams.get('code');
  const token = await fetch(`${latchkey}oauth/token`, { method: 'POST', headers: {
    'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code',
    code, redirect_uri: appCallback, code_verifier: verifier, client_id: appId, client_secret: appSecret }) });
  const body = await token.json();
  if (!body.id_token) throw new Error(`latchkey token: ${JSON.stringify(body)}`);
  return body;
}

// CPU time (ms) of the server, the provider and this driver so far, from /proc (Linux; clock ticks of 10 ms).
import { readFileSync } from 'node:fs';
const pids = { server: env('SERVER_PID'), provider: env('IDP_PID'), driver: String(process.pid) };
function cpuMillis() {
  const out = {};
  for (const [name, pid] of Object.entries(pids)) {
    if (!pid) continue;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out[name] = (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // gone, or not Linux
    }
  }
  return out;
}

async function window(mode, duration) {
  const run = mode === 'provider' ? providerLogin : upstreamLogin;
  const cpuBefore = cpuMillis();
  const end = Date.now() + duration * 1000;
  let done = 0;
  let errors = 0;
  let lastError;
  const started = Date.now();
  await Promise.all(Array.from({ length: vus }, async (_, vu) => {
    for (let i = 0; Date.now() < end; i++) {
      try {
        await run(vu * 100000 + i % 50);
        done++;
      } catch (e) {
        errors++;
        lastError = e.message;
      }
    }
  }));
  const rate = done / ((Date.now() - started) / 1000);
  const cpuAfter = cpuMillis();
  // CPU milliseconds per round trip, per process: where a round trip's cost goes.
  const cpuPerRoundTrip = Object.fromEntries(Object.keys(cpuAfter).filter((k) => k in cpuBefore)
    .map((k) => [k, Number(((cpuAfter[k] - cpuBefore[k]) / Math.max(done, 1)).toFixed(2))]));
  return { mode, seconds: duration, roundTrips: done, errors, perSecond: Number(rate.toFixed(1)), cpuPerRoundTrip,
    lastError };
}

if (once) {
  await providerLogin(0);
  await upstreamLogin(0);
  console.log(JSON.stringify({ once: 'ok' }));
  process.exit(0);
}
// ONLY=upstream (or provider): that mode's windows alone, each printed with its CPU per round trip; for comparing
// two builds or settings of the server one after the other, not a figure.
const only = env('ONLY', '');
if (only) {
  await window(only, warmup);
  for (let c = 0; c < cycles; c++) console.log(JSON.stringify(await window(only, seconds)));
  process.exit(0);
}
await window('provider', warmup);
await window('upstream', warmup);
const ratios = [];
let before = await window('provider', seconds);
console.log(JSON.stringify(before));
for (let c = 0; c < cycles; c++) {
  const upstream = await window('upstream', seconds);
  console.log(JSON.stringify(upstream));
  const after = await window('provider', seconds);
  console.log(JSON.stringify(after));
  ratios.push(upstream.perSecond / ((before.perSecond + after.perSecond) / 2));
  before = after;
}
ratios.sort((a, b) => a - b);
console.log(JSON.stringify({ summary: 'upstream logins/s through Latchkey ÷ node-oidc-provider logins/s',
  vus, cycles, median: Number(ratios[Math.floor(ratios.length / 2)].toFixed(3)), ratios: ratios.map((r) => Number(r.toFixed(3))) }));
