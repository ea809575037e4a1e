// Drives the password grants with Auth0's Node SDK (npm auth0 4.x, https://<domain> only):
// AuthenticationClient oauth.passwordGrant with a realm (password-realm) and the end user's address in
// auth0-forwarded-for, then without one (password, through the tenant's default directory), then with a
// wrong password. The SDK validates the ID tokens against the JWKS. The server's certificate is trusted
// through NODE_EXTRA_CA_CERTS. Prints one JSON line; exit 1 on failure.
import { AuthenticationClient, UserInfoClient } from 'auth0';
import { check, env } from './peer-support.mjs';

const domain = env('DOMAIN');
const auth = new AuthenticationClient({ domain, clientId: env('CLIENT_ID'), clientSecret: env('CLIENT_SECRET') });
const userinfo = new UserInfoClient({ domain });
const forwarded = { initOverrides: { headers: { 'auth0-forwarded-for': env('END_USER_IP') } } };

try {
  const { data: realm } = await auth.oauth.passwordGrant({
    username: env('EMAIL'), password: env('PASSWORD'), realm: env('REALM'),
    audience: env('AUDIENCE'), scope: 'openid email offline_access',
  }, forwarded);
  check(realm.access_token && realm.id_token && realm.refresh_token, 'tokens missing', realm);
  const { data: profile } = await userinfo.getUserInfo(realm.access_token);
  check(profile.email === env('EMAIL'), 'the access token is not the user\'s', profile);

  const { data: plain } = await auth.oauth.passwordGrant({
    username: env('EMAIL'), password: env('PASSWORD'), audience: env('AUDIENCE'), scope: 'openid',
  }, forwarded);
  check(plain.access_token && plain.id_token, 'tokens missing from the password grant', plain);

  let refused;
  try {
    await auth.oauth.passwordGrant({ username: env('EMAIL'), password: 'Wrong-Passw0rd', realm: env('REALM') },
      forwarded);
  } catch (error) {
    refused = error;
  }
  check(refused?.error === 'invalid_grant', 'a wrong password was not refused with invalid_grant', String(refused));
  console.log(JSON.stringify({
    realmScope: realm.scope, plainScope: plain.scope, refusal: refused.error,
    refusalStatus: refused.statusCode, description: refused.error_description,
  }));
} catch (error) {
  console.error(error);
  if (error.cause) console.error('cause:', error.cause);
  process.exit(1);
}
