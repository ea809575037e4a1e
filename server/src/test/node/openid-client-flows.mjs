// Drives the server with openid-client (a certified OpenID Connect relying party):
// authorization code + PKCE, implicit (id_token), hybrid (code id_token) with form_post, and /userinfo.
// Input: environment variables set by the JUnit test. Output: one JSON line per flow; exit 1 on failure.
import * as client from 'openid-client';
import { BrowserlessLogin } from './browserless-login.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`missing ${name}`);
  return value;
};
const issuer = new URL(env('ISSUER'));
const callback = env('CALLBACK');
const user = new BrowserlessLogin(env('EMAIL'), env('PASSWORD'));
const report = (flow, details) => console.log(JSON.stringify({ flow, ok: true, ...details }));
const insecure = { execute: [client.allowInsecureRequests] };

async function codeWithPkce(audience) {
  const config = await client.discovery(issuer, env('CLIENT_ID'), env('CLIENT_SECRET'),
    client.ClientSecretPost(env('CLIENT_SECRET')), insecure);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params = {
    redirect_uri: callback, scope: 'openid profile email', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  };
  if (audience) params.audience = audience;
  const response = await user.authorize(client.buildAuthorizationUrl(config, params));
  const tokens = await client.authorizationCodeGrant(config, new URL(response.headers.get('location')),
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  const claims = tokens.claims();
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  if (userinfo.email !== env('EMAIL')) throw new Error(`userinfo email ${userinfo.email}`);
  report(audience ? 'code+pkce (JWT for an API)' : 'code+pkce (opaque)', {
    sub: claims.sub, jwtAccessToken: tokens.access_token.split('.').length === 3, userinfo,
  });
}

async function implicitIdToken() {
  const config = await client.discovery(issuer, env('CLIENT_ID'), env('CLIENT_SECRET'),
    client.ClientSecretPost(env('CLIENT_SECRET')), { execute: [client.allowInsecureRequests, client.useIdTokenResponseType] });
  const state = client.randomState();
  const nonce = client.randomNonce();
  const response = await user.authorize(client.buildAuthorizationUrl(config, {
    redirect_uri: callback, scope: 'openid profile', state, nonce,
  }));
  const claims = await client.implicitAuthentication(config, new URL(response.headers.get('location')), nonce,
    { expectedState: state });
  report('implicit (id_token)', { sub: claims.sub, name: claims.name });
}

async function hybridFormPost() {
  const config = await client.discovery(issuer, env('CLIENT_ID'), env('CLIENT_SECRET'),
    client.ClientSecretPost(env('CLIENT_SECRET')),
    { execute: [client.allowInsecureRequests, client.useCodeIdTokenResponseType] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const response = await user.authorize(client.buildAuthorizationUrl(config, {
    redirect_uri: callback, scope: 'openid email', state, nonce, response_mode: 'form_post',
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }));
  const html = await response.text();
  if (!html.includes(`action="${callback}"`)) throw new Error(`not a form_post page: ${html}`);
  const form = BrowserlessLogin.hiddenFields(html);
  const post = new Request(callback, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
  });
  const tokens = await client.authorizationCodeGrant(config, post,
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
  report('hybrid (code id_token, form_post)', { sub: tokens.claims().sub, email: userinfo.email });
}

try {
  await codeWithPkce(null);
  await codeWithPkce(env('AUDIENCE'));
  await implicitIdToken();
  await hybridFormPost();
} catch (error) {
  console.error(error);
  if (error.cause) console.error('cause:', error.cause);
  process.exit(1);
}
