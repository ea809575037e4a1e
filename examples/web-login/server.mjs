// A tiny web application that logs a user into Latchkey with the authorization-code flow
// (PKCE S256, state and nonce) and shows what came back: the ID token's claims, the access
// token (opaque or a JWT) and the /userinfo answer. Plain node:http; one dependency for OIDC.
//
//   CLIENT_ID=... CLIENT_SECRET=... node server.mjs
//
// Environment: LATCHKEY_ISSUER (default http://localhost:8080/), CLIENT_ID, CLIENT_SECRET,
// PORT (default 3000), AUDIENCE (optional: an API identifier, to get a JWT access token for it),
// SCOPE (default "openid profile email"; add the API's scopes, e.g. read:patients, and offline_access
// to get a refresh token).

import http from 'node:http';
import crypto from 'node:crypto';
import * as oidc from 'openid-client';
import { decodeJwt, decodeProtectedHeader } from 'jose';

const issuer = new URL(process.env.LATCHKEY_ISSUER ?? 'http://localhost:8080/');
const clientId = process.env.CLIENT_ID;
const clientSecret = process.env.CLIENT_SECRET;
const port = Number(process.env.PORT ?? 3000);
const audience = process.env.AUDIENCE;
const scope = process.env.SCOPE ?? 'openid profile email';
const appUrl = `http://localhost:${port}/`;
const callbackUrl = new URL('callback', appUrl).href;

if (!clientId || !clientSecret) {
  console.error('Set CLIENT_ID and CLIENT_SECRET (from `./latchkey clients create --type regular_web ...`).');
  process.exit(2);
}

// Discovery reads <issuer>.well-known/openid-configuration; openid-client then checks that every
// ID token's iss equals the discovered issuer exactly. Plain http is refused unless allowed.
const config = await oidc.discovery(issuer, clientId, clientSecret, undefined,
  issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined);

// Browser sessions, in memory: a random cookie value -> what this browser is in the middle of.
const sessions = new Map();
const COOKIE = 'weblogin_session';

function session(req, res) {
  const match = /(?:^|;\s*)weblogin_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '');
  if (match && sessions.has(match[1])) {
    return sessions.get(match[1]);
  }
  const id = crypto.randomBytes(24).toString('base64url');
  const fresh = {};
  sessions.set(id, fresh);
  res.setHeader('Set-Cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
  return fresh;
}

const escape = (text) => String(text).replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const json = (value) => `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;

function page(res, status, title, body) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
</head><body><h1>${escape(title)}</h1>${body}</body></html>`);
}

function redirect(res, location) {
  res.writeHead(302, { Location: String(location) });
  res.end();
}

// GET /login: a fresh PKCE verifier, state and nonce, kept in the session; then off to /authorize.
async function login(req, res) {
  const s = session(req, res);
  s.verifier = oidc.randomPKCECodeVerifier();
  s.state = oidc.randomState();
  s.nonce = oidc.randomNonce();
  const params = {
    redirect_uri: callbackUrl,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(s.verifier),
    code_challenge_method: 'S256',
    state: s.state,
    nonce: s.nonce,
  };
  if (audience) {
    params.audience = audience; // Auth0: an audience turns the access token into a JWT for that API
  }
  redirect(res, oidc.buildAuthorizationUrl(config, params));
}

// GET /callback: checks state, exchanges the code with the verifier, checks the ID token (nonce
// included), calls /userinfo with the access token and shows everything.
async function callback(req, res, url) {
  const s = session(req, res);
  if (!s.verifier) {
    return page(res, 400, 'No login in progress', '<p><a href="/">Start again</a></p>');
  }
  const { verifier, state, nonce } = s;
  delete s.verifier;
  let tokens;
  try {
    tokens = await oidc.authorizationCodeGrant(config, url, {
      pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
    });
  } catch (error) {
    const detail = error.error ? `${error.error}: ${error.error_description ?? ''}` : error.message;
    return page(res, 400, 'Login failed', `<p>${escape(detail)}</p><p><a href="/">Start again</a></p>`);
  }
  const claims = tokens.claims();
  s.idToken = tokens.id_token;
  const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);

  let accessToken;
  try {
    accessToken = `<p>A <strong>JWT</strong> (claims decoded here, not verified: an API verifies them
      against the issuer's JWKS).</p><h3>Header</h3>${json(decodeProtectedHeader(tokens.access_token))}
      <h3>Claims</h3>${json(decodeJwt(tokens.access_token))}`;
  } catch {
    accessToken = '<p><strong>Opaque</strong>: only good for /userinfo. Set AUDIENCE to an API identifier '
      + 'to get a JWT for that API.</p>';
  }
  page(res, 200, `Logged in as ${claims.email ?? claims.sub}`, `
    <p><a href="/logout">Log out</a></p>
    <h2>ID token claims (verified by openid-client)</h2>${json(claims)}
    <h2>Access token</h2><p>token_type ${escape(tokens.token_type)}, expires_in ${escape(tokens.expires_in)},
      scope ${escape(tokens.scope ?? '')}</p>
    <pre>${escape(tokens.access_token)}</pre>${accessToken}
    <h2>/userinfo</h2>${json(userinfo)}
    <h2>Refresh token</h2>${tokens.refresh_token
      ? `<pre>${escape(tokens.refresh_token)}</pre><p>Exchange it at /oauth/token with grant_type=refresh_token.</p>`
      : '<p>None: ask for offline_access (SCOPE) with an API that allows offline access, or none at all.</p>'}`);
}

// GET /logout: forget the session, then end Latchkey's: OIDC RP-initiated logout (/oidc/logout)
// when discovery names an end_session_endpoint, Auth0's /v2/logout otherwise.
function logout(req, res) {
  const s = session(req, res);
  const idToken = s.idToken;
  for (const key of Object.keys(s)) {
    delete s[key];
  }
  if (config.serverMetadata().end_session_endpoint) {
    const params = { post_logout_redirect_uri: appUrl, client_id: clientId };
    if (idToken) {
      params.id_token_hint = idToken;
    }
    return redirect(res, oidc.buildEndSessionUrl(config, params));
  }
  const url = new URL('v2/logout', issuer);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('returnTo', appUrl);
  redirect(res, url);
}

function home(req, res) {
  session(req, res);
  page(res, 200, 'Latchkey web login example', `
    <p>Issuer: <code>${escape(issuer.href)}</code>, client <code>${escape(clientId)}</code>${
      audience ? `, API <code>${escape(audience)}</code>` : ''}.</p>
    <p><a href="/login">Log in</a></p>`);
}

http.createServer(async (req, res) => {
  const url = new URL(req.url, appUrl);
  try {
    if (req.method !== 'GET') {
      return page(res, 405, 'Method not allowed', '');
    }
    switch (url.pathname) {
      case '/': return home(req, res);
      case '/login': return await login(req, res);
      case '/callback': return await callback(req, res, url);
      case '/logout': return logout(req, res);
      default: return page(res, 404, 'Not found', '<p><a href="/">Home</a></p>');
    }
  } catch (error) {
    console.error(error.message);
    page(res, 500, 'Something went wrong', `<p>${escape(error.message)}</p>`);
  }
}).listen(port, () => {
  console.log(`Web login example on ${appUrl} (issuer ${issuer.href}, callback ${callbackUrl})`);
});
