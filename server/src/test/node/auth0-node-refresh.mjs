// Drives the server with Auth0's Node SDK (npm auth0 4.x), which speaks only https://<domain>: a user
// logs in (code flow), AuthenticationClient exchanges the code, the access token expires on the
// server's clock, oauth.refreshTokenGrant gets a new one, oauth.revokeRefreshToken revokes the
// refresh token, and the revoked token is refused. The server's certificate is trusted through
// NODE_EXTRA_CA_CERTS. Prints one JSON line; exit 1 on failure.
import { AuthenticationClient, UserInfoClient } from 'auth0';
import { randomBytes } from 'node:crypto';
import { BrowserlessLogin } from './browserless-login.mjs';
import { advanceServerClock, check, env } from './peer-support.mjs';

const domain = env('DOMAIN');
const callback = env('CALLBACK');
const auth = new AuthenticationClient({ domain, clientId: env('CLIENT_ID'), clientSecret: env('CLIENT_SECRET') });
const userinfo = new UserInfoClient({ domain });

/** The SDK's error for a refused call, or nothing when the call succeeded. */
async function refusal(call) {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

try {
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(`https://${domain}/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code', client_id: env('CLIENT_ID'), redirect_uri: callback, state,
    scope: 'openid email offline_access', audience: env('AUDIENCE'),
  }).toString();
  const redirect = await new BrowserlessLogin(env('EMAIL'), env('PASSWORD')).authorize(authorize);
  const back = new URL(redirect.headers.get('location'));
  check(back.searchParams.get('state') === state, 'state not returned', back.href);
  // The SDK posts the code with the client secret; it validates the ID token against the JWKS.
  const { data: tokens } = await auth.oauth.authorizationCodeGrant({
    code: back.searchParams.get('code'), redirect_uri: callback,
  });
  check(tokens.refresh_token, 'no refresh token for offline_access', tokens);

  // The access token's lifetime runs out on the server's clock: /userinfo now refuses it.
  await advanceServerClock(Number(env('ACCESS_TOKEN_LIFETIME')) + 1);
  const expired = await refusal(() => userinfo.getUserInfo(tokens.access_token));
  check(expired?.statusCode === 401, 'an expired access token was accepted at /userinfo', String(expired));

  // RFC 6749 §6: a new access token (and ID token, with openid) from the refresh token.
  const { data: refreshed } = await auth.oauth.refreshTokenGrant({ refresh_token: tokens.refresh_token });
  check(refreshed.access_token && refreshed.access_token !== tokens.access_token, 'no new access token', refreshed);
  check(refreshed.id_token, 'no new ID token for openid', refreshed);
  const { data: profile } = await userinfo.getUserInfo(refreshed.access_token);
  check(profile.email === env('EMAIL'), 'the refreshed access token is not the user\'s', profile);

  // RFC 7009 §2.2 (Auth0 §8.2): 200 with an empty body, and the token is dead from then on.
  const revoked = await auth.oauth.revokeRefreshToken({ token: tokens.refresh_token });
  const refused = await refusal(() => auth.oauth.refreshTokenGrant({ refresh_token: tokens.refresh_token }));
  check(refused?.error === 'invalid_grant', 'a revoked refresh token was not refused with invalid_grant',
    String(refused));
  console.log(JSON.stringify({
    expiredStatus: expired.statusCode, refreshed: true, revokeStatus: revoked.status,
    refusal: refused.error, refusalStatus: refused.statusCode,
  }));
} catch (error) {
  console.error(error);
  if (error.cause) console.error('cause:', error.cause);
  process.exit(1);
}
