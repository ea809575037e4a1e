// Drives the server with openid-client (a certified OpenID Connect relying party):
// authorization code + PKCE, implicit (id_token), hybrid (code id_token) with form_post, /userinfo,
// and a refresh token's life: introspection, refresh after the access token expired, revocation.
// Input: environment variables set by the JUnit test. Output: one JSON line per flow; exit 1 on failure.
import * as client from 'openid-client';
import { BrowserlessLogin } from './browserless-login.mjs';
import { advanceServerClock, check, env } from './peer-support.mjs';

const issuer = new URL(env('ISSUER'));
const callback = env('CALLBACK');
const user = new BrowserlessLogin(env('EMAIL'), env('PASSWORD'));
const report = (flow, details) => console.log(JSON.stringify({ flow, ok: true, ...details }));
const insecure = { execute: [client.allowInsecureRequests] };

/** Code + PKCE through the login (and consent) pages; answers the configuration and the tokens. */
async function logIn(audience, scope) {
  const config = await client.discovery(issuer, env('CLIENT_ID'), env('CLIENT_SECRET'),
    client.ClientSecretPost(env('CLIENT_SECRET')), insecure);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params = {
    redirect_uri: callback, scope, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  };
  if (audience) params.audience = audience;
  const response = await user.authorize(client.buildAuthorizationUrl(config, params));
  const tokens = await client.authorizationCodeGrant(config, new URL(response.headers.get('location')),
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  return { config, tokens };
}

async function codeWithPkce(audience) {
  const { config, tokens } = await logIn(audience, 'openid profile email');
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

// RFC 6749 §6 (refresh), RFC 7662 §2 (introspection), RFC 7009 §2 (revocation), Auth0 §4.2: a
// non-rotating refresh token of a confidential client, each step through openid-client's own call.
async function refreshIntrospectRevoke() {
  const audience = env('AUDIENCE');
  const { config, tokens } = await logIn(audience, 'openid offline_access read:peer');
  const refreshToken = tokens.refresh_token;
  check(refreshToken, 'no refresh token for offline_access', tokens);
  // RFC 7662 §2.2: a fresh access token is active and described.
  const fresh = await client.tokenIntrospection(config, tokens.access_token);
  check(fresh.active === true && fresh.client_id === env('CLIENT_ID') && [].concat(fresh.aud).includes(audience)
    && fresh.sub === tokens.claims().sub, 'fresh access token not described as active', fresh);
  // Refresh tokens are introspected for their own client.
  const ownRefresh = await client.tokenIntrospection(config, refreshToken, { token_type_hint: 'refresh_token' });
  check(ownRefresh.active === true, 'refresh token not active for its own client', ownRefresh);

  // The access token's lifetime runs out on the server's clock.
  await advanceServerClock(Number(env('ACCESS_TOKEN_LIFETIME')) + 1);
  const expired = await client.tokenIntrospection(config, tokens.access_token);
  check(expired.active === false, 'expired access token still active', expired);

  // RFC 6749 §6: the refresh token gets a new access token (and, with openid, a new ID token).
  const refreshed = await client.refreshTokenGrant(config, refreshToken);
  check(refreshed.access_token !== tokens.access_token, 'refresh answered the old access token');
  check(refreshed.claims()?.sub === tokens.claims().sub, 'refreshed ID token of another subject', refreshed);
  // Auth0 §4.2: without rotation no new refresh token is issued.
  check(refreshed.refresh_token === undefined, 'a non-rotating client got a new refresh token', refreshed);
  const renewed = await client.tokenIntrospection(config, refreshed.access_token);
  check(renewed.active === true && renewed.exp > fresh.exp, 'refreshed access token not active', renewed);

  // RFC 7009 §2.1-§2.2: revoked, 200 with nothing to read; the token is dead from then on. The
  // client authenticates as at the token endpoint, with its registered method (client_secret_post).
  await client.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' });
  const revoked = await client.tokenIntrospection(config, refreshToken, { token_type_hint: 'refresh_token' });
  check(revoked.active === false, 'revoked refresh token still active', revoked);
  // Beyond Auth0: revoking the refresh token revokes its authorization, access tokens included.
  const orphan = await client.tokenIntrospection(config, refreshed.access_token);
  check(orphan.active === false, 'an access token of a revoked authorization is still active', orphan);
  let refusal;
  try {
    await client.refreshTokenGrant(config, refreshToken);
  } catch (error) {
    refusal = error;
  }
  check(refusal instanceof client.ResponseBodyError && refusal.error === 'invalid_grant',
    'a revoked refresh token was not refused with invalid_grant', String(refusal));
  // RFC 7009 §2.2: revoking what is already revoked (or unknown) is still a 200.
  await client.tokenRevocation(config, refreshToken);
  report('refresh, introspect, revoke', {
    expiredActive: expired.active, renewedActive: renewed.active, revokedActive: revoked.active,
    refusal: refusal.error, refusalStatus: refusal.status,
  });
}

try {
  await codeWithPkce(null);
  await codeWithPkce(env('AUDIENCE'));
  await implicitIdToken();
  await hybridFormPost();
  await refreshIntrospectRevoke();
} catch (error) {
  console.error(error);
  if (error.cause) console.error('cause:', error.cause);
  process.exit(1);
}
