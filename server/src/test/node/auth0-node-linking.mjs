// Drives account linking with Auth0's Node SDK (npm auth0 4.x) ManagementClient: users.link with a
// secondary's provider and user_id, users.get of the primary and of the secondary, users.unlink, and a link
// of a user to itself refused. The server's certificate is trusted through NODE_EXTRA_CA_CERTS. Prints one
// JSON line; exit 1 on failure.
import { ManagementClient } from 'auth0';
import { check, env } from './peer-support.mjs';

const management = new ManagementClient({ domain: env('DOMAIN'), token: env('TOKEN') });
const primary = env('PRIMARY');
const secondary = env('SECONDARY');
const secondaryId = secondary.slice('auth0|'.length);

try {
  const { data: linked } = await management.users.link({ id: primary }, { provider: 'auth0', user_id: secondaryId });
  const { data: user } = await management.users.get({ id: primary });
  let gone;
  try {
    await management.users.get({ id: secondary });
  } catch (error) {
    gone = error.statusCode;
  }
  const { data: left } = await management.users.unlink({ id: primary, provider: 'auth0', user_id: secondaryId });
  const { data: back } = await management.users.get({ id: secondary });
  let refused;
  try {
    await management.users.link({ id: primary }, { provider: 'auth0', user_id: primary.slice('auth0|'.length) });
  } catch (error) {
    refused = { statusCode: error.statusCode, errorCode: error.errorCode };
  }
  check(linked[1].profileData && linked[1].profileData.email === back.email, 'profileData of the linked', linked);
  console.log(JSON.stringify({
    linked: linked.map((identity) => `${identity.provider}|${identity.user_id}`),
    identityShape: Object.keys(linked[1]).sort(),
    primaryIdentities: user.identities.length,
    gone,
    left: left.map((identity) => identity.user_id),
    back: back.user_id,
    refused,
  }));
} catch (error) {
  console.error(error.stack || error);
  process.exit(1);
}
