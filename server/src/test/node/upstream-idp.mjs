// node-oidc-provider as an upstream OpenID Provider for Latchkey's `oidc` connections: one static
// confidential client whose redirect URI is Latchkey's <issuer>login/callback (and, given
// POST_LOGOUT_REDIRECT_URI, where its RP-initiated logout may send the browser back), development interactions
// (any login, any password), refresh tokens for every code, rotated at every use, and an account per login
// name with a verified email. Listens on 127.0.0.1:PORT and prints READY <issuer> once it does; the test stops it.
// ID_TOKEN_CLAIMS=1 puts the profile the scopes ask for in the ID token too (as Google does), not only at userinfo.
import Provider from 'oidc-provider';
import { env } from './peer-support.mjs';

const port = Number(env('PORT'));
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: env('CLIENT_ID'),
    client_secret: env('CLIENT_SECRET'),
    redirect_uris: [env('REDIRECT_URI')],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: process.env.AUTH_METHOD || 'client_secret_post',
    post_logout_redirect_uris: process.env.POST_LOGOUT_REDIRECT_URI ? [process.env.POST_LOGOUT_REDIRECT_URI] : [],
  }],
  pkce: { required: () => true },
  conformIdTokenClaims: process.env.ID_TOKEN_CLAIMS !== '1',
  features: { devInteractions: { enabled: true } },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'nickname'],
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@upstream.example`,
          email_verified: !id.startsWith('unverified'),
          name: `Upstream ${id}`,
          given_name: 'Upstream',
          family_name: id,
          nickname: id,
        };
      },
    };
  },
  issueRefreshToken: async () => true,
  // Every refresh spends its refresh token and issues the next: a second use of a spent one is refused.
  rotateRefreshToken: () => true,
  cookies: { keys: ['upstream-test-cookie-key'] },
});

provider.listen(port, '127.0.0.1', () => console.log(`READY ${issuer}`));
