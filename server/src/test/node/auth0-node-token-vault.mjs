// Auth0's Node SDK (npm auth0 4.x) asks Latchkey's Token Vault for a user's access token at an upstream
// provider (node-oidc-provider, whose access tokens live an hour and whose refresh tokens rotate):
// oauth.tokenForConnection answers the token kept from the login while it is fresh; once it has expired on
// the server's clock, a refreshed one that works at the provider's userinfo; two exchanges at once share one
// refresh; and a later refresh still works (the rotated refresh token was kept). Prints one JSON line.
import { AuthenticationClient } from 'auth0';
import { advanceServerClock, check, env } from './peer-support.mjs';

const auth = new AuthenticationClient({
  domain: env('DOMAIN'), clientId: env('CLIENT_ID'), clientSecret: env('CLIENT_SECRET'),
});
const connection = env('CONNECTION');
// auth0 4.37.1's tokenForConnection adds the client secret but not the client id: the caller sends it.
const clientId = env('CLIENT_ID');
const exchange = async () => (await auth.oauth.tokenForConnection({
  subject_token: env('REFRESH_TOKEN'), connection, client_id: clientId,
})).data;

/** The provider's own userinfo for `token`: its subject, or the HTTP status it refused with. */
async function atProvider(token) {
  const response = await fetch(env('PROVIDER_USERINFO'), { headers: { authorization: `Bearer ${token}` } });
  return response.ok ? (await response.json()).sub : response.status;
}

try {
  const kept = await exchange();
  check(kept.access_token === env('LOGIN_ACCESS_TOKEN'), 'a fresh token was not answered as kept', kept.expires_in);
  check(kept.issued_token_type === 'http://auth0.com/oauth/token-type/federated-connection-access-token',
    'wrong issued_token_type', kept.issued_token_type);
  check(kept.token_type === 'Bearer' && kept.expires_in > 3000, 'not Auth0\'s shape', Object.keys(kept));

  await advanceServerClock(7200);
  const refreshed = await exchange();
  check(refreshed.access_token !== kept.access_token, 'an expired token was answered again');
  const subject = await atProvider(refreshed.access_token);
  check(subject === env('SUBJECT'), 'the refreshed token does not work at the provider', subject);

  await advanceServerClock(7200);
  const [one, two] = await Promise.all([exchange(), exchange()]);
  check(one.access_token === two.access_token, 'two exchanges at once refreshed twice');
  check(one.access_token !== refreshed.access_token, 'not refreshed');

  await advanceServerClock(7200);
  const later = await exchange();
  check(later.access_token !== one.access_token && (await atProvider(later.access_token)) === subject,
    'the rotated refresh token was lost');

  let refusal;
  try {
    await auth.oauth.tokenForConnection({ subject_token: 'not-a-refresh-token', connection, client_id: clientId });
  } catch (error) {
    refusal = error;
  }
  console.log(JSON.stringify({
    kept: true, refreshedWorksAtProvider: true, concurrentShareOneRefresh: true, rotatedKept: true,
    refusal: refusal?.error, refusalStatus: refusal?.statusCode,
  }));
} catch (error) {
  console.error(error);
  process.exit(1);
}
